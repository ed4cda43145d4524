import Foundation
import PBT
import PBTRuntime
import PBTSQLite
import PBTStore

/// The cost of one ready-point commit to the SQLite store at `path`: the score, a 4 KB
/// checkpoint and an asynchronous truncation/perturb decision over a population of 10 (the
/// claim before it is not timed), until `commit` returns and until it is in the file.
///
/// `path` should be a scratch file: the benchmark adds an experiment named
/// `store-bench-<random>` to it (creating the file if needed) and leaves it there.
func runStoreCommitBenchmark(path: String, commits: Int) async throws -> StoreBenchmark.CommitCost {
    let store = try SQLiteStore(path: path)
    defer { try? store.close() }
    return try await StoreBenchmark.commitCost(store: store, commits: commits)
}

/// The same commit to `InMemoryStore`: the reference the SQLite numbers are compared with.
func runMemoryCommitBenchmark(commits: Int) async throws -> StoreBenchmark.CommitCost {
    try await StoreBenchmark.commitCost(store: InMemoryStore(), commits: commits)
}

enum StoreBenchmark {
    /// Median and 90th percentile, in µs.
    struct Timing {
        let median: Double
        let p90: Double

        init(_ microseconds: [Double]) {
            let sorted = microseconds.sorted()
            median = sorted[sorted.count / 2]
            p90 = sorted[sorted.count * 9 / 10]
        }
    }

    /// How long a commit takes to return, and to be durable (`commit` then `flush()`).
    struct CommitCost {
        let returned: Timing
        let durable: Timing
    }

    static let population = 10
    static let checkpointBytes = 4096
    static let warmUp = 50

    /// Times `commits` commits (after a short warm-up) of one worker cycling through the members,
    /// each until it returns and until it is durable.
    static func commitCost(store: any PopulationStore, commits: Int) async throws -> CommitCost {
        let space = try SearchSpace([
            "lr": .logUniform(lower: 1e-5, upper: 1e-1), "momentum": .uniform(lower: 0, upper: 1),
        ])
        let scheduler = Scheduler(
            space: space, exploit: try Truncation(fraction: 0.2), explore: try Perturb(),
            schedule: try TrainingSchedule(steps: Int(Int32.max), interval: 100), seed: 7)
        let name = "store-bench-\(UInt32.random(in: 0...UInt32.max))"
        _ = try await store.create(
            ExperimentRecord(name: name, population: population, configuration: #"{"benchmark":"store"}"#),
            members: (0..<population).map(scheduler.initialHyperparameters))
        var random = PBTRandom(seed: 1)
        var checkpoint = [UInt8](repeating: 0, count: checkpointBytes)
        var (returned, durable): ([Double], [Double]) = ([], [])
        let clock = ContinuousClock()
        for index in 0..<(warmUp + max(1, commits)) {
            guard
                case .claimed(let member) = try await store.claim(
                    experiment: name, worker: "bench", lease: .seconds(60))
            else { throw StoreError(.invalid, "benchmark: no member to claim") }
            for position in stride(from: 0, to: checkpoint.count, by: 8) {
                checkpoint[position] = UInt8(truncatingIfNeeded: random.next())
            }
            let point = ReadyPoint(
                experiment: name, member: member.slot, worker: "bench", step: member.step + 100, score: random.unit(),
                hyperparameters: member.hyperparameters, checkpoint: checkpoint)
            let slot = member.slot
            let decider = Decider(scheduler: scheduler)
            let start = clock.now
            _ = try await store.commit(point, scoreWindow: scheduler.scoreWindow) { state in
                decider.updates(committing: slot, in: state)
            }
            let done = clock.now
            try await store.flush()
            if index >= warmUp {
                returned.append(microseconds(done - start))
                durable.append(microseconds(clock.now - start))
            }
        }
        return CommitCost(returned: Timing(returned), durable: Timing(durable))
    }

    private static func microseconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) * 1e6 + Double(duration.components.attoseconds) * 1e-12
    }
}
