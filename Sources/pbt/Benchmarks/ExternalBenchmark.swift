import Foundation
import PBT
import PBTRuntime
import PBTStore

/// The engine's overhead per ready point for an external program (`benchmarks/external_noop.py`,
/// which trains nothing): protocol round trips, the checkpoint copy, and the store commit.
enum ExternalBenchmark {
    /// Medians of one ready point's parts, in ms.
    struct Result {
        /// set_hyperparameters + train + evaluate + save (program writes, engine packs).
        var readyPoint: Double
        /// The same plus an in-memory store commit (SHA-256 of the checkpoint included).
        var withCommit: Double
        /// An exploit's restore: unpack the checkpoint to a file and `load` it.
        var restore: Double
        /// The floor: writing and reading the same bytes through a file in this process.
        var fileCopy: Double
    }

    /// Runs `samples` ready points of `program` (`python3 program bytes`) with a checkpoint of
    /// `bytes` bytes.
    static func run(program: String, bytes: Int, samples: Int) async throws -> Result {
        let scratch = NSTemporaryDirectory() + "pbt-bench-external-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let spec = CommandSpec(
            arguments: ["python3", program, String(bytes)], directory: FileManager.default.currentDirectoryPath,
            timeout: 60)
        let workload = try ExternalProgram(
            spec: spec, experiment: "bench", logDirectory: scratch, hyperparameterNames: ["lr"])
        let trainable = try await workload.makeTrainable(
            hyperparameters: Hyperparameters(["lr": 0.1]), seed: 1, member: 0)
        let store = InMemoryStore(keep: 2)
        _ = try await store.create(
            ExperimentRecord(name: "bench", population: 1, configuration: "{}"), members: [Hyperparameters(["lr": 0.1])]
        )
        let clock = ContinuousClock()
        var readyPoints: [Double] = [], commits: [Double] = [], restores: [Double] = [], copies: [Double] = []
        for sample in 0..<(samples + 10) {
            let hyperparameters = Hyperparameters(["lr": .number(0.1 + Double(sample % 7) * 0.01)])
            let start = clock.now
            try await trainable.apply(hyperparameters)
            try await trainable.train(steps: 1)
            let score = try await trainable.evaluate()
            let checkpoint = try await trainable.save()
            let trained = clock.now
            guard case .claimed = try await store.claim(experiment: "bench", worker: "w", lease: .seconds(60)) else {
                throw PBTError.invalidSetting("bench", "the benchmark member could not be claimed")
            }
            _ = try await store.commit(
                ReadyPoint(
                    experiment: "bench", member: 0, worker: "w", step: sample + 1, score: score,
                    hyperparameters: hyperparameters, checkpoint: checkpoint),
                scoreWindow: 1
            ) { _ in [] }
            let committed = clock.now
            try await trainable.restore(from: checkpoint)
            let restored = clock.now
            let path = "\(scratch)/copy-\(sample)"
            try Data(checkpoint).write(to: URL(fileURLWithPath: path))
            _ = try Data(contentsOf: URL(fileURLWithPath: path))
            try? FileManager.default.removeItem(atPath: path)
            let copied = clock.now
            guard sample >= 10 else { continue }
            readyPoints.append(milliseconds(trained - start))
            commits.append(milliseconds(committed - start))
            restores.append(milliseconds(restored - committed))
            copies.append(milliseconds(copied - restored))
        }
        await trainable.close()
        return Result(
            readyPoint: median(readyPoints), withCommit: median(commits), restore: median(restores),
            fileCopy: median(copies))
    }

    private static func milliseconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) * 1e3 + Double(duration.components.attoseconds) * 1e-15
    }

    private static func median(_ values: [Double]) -> Double {
        values.sorted()[values.count / 2]
    }
}
