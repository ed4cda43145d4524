import PBT
import PBTRuntime
import PBTStore
import Testing

/// PB2 as the explore strategy of whole runs: suggestions with explanations, reproducible with
/// one worker, pending configurations within synchronous rounds.
@Suite("PB2 runs")
struct PB2RunTests {
    private func config(synchronous: Bool) throws -> ExperimentConfig {
        var config = try example("quadratic-pb2")
        config.schedule.synchronous = synchronous
        // Two copiers a round: the second counts the first's choice as pending.
        config.exploit = .truncation(fraction: 0.5)
        return config
    }

    @Test(
        "the toy with PB2: suggestions explained, inside the space, reproducible bit for bit", arguments: [false, true])
    func suggestionsAreExplainedAndReproducible(synchronous: Bool) async throws {
        let config = try config(synchronous: synchronous)
        let first = try await run(config), second = try await run(config)
        let events = try await first.events(of: config.name)
        #expect(try await second.events(of: config.name).map(\.untimed) == events.map(\.untimed))
        #expect(try await second.scores(of: config.name).map(\.untimed) == first.scores(of: config.name).map(\.untimed))
        let space = try SearchSpace(config.hyperparameters)
        let explained = events.compactMap(\.explanation)
        #expect(
            explained.count >= events.count / 2, "\(explained.count) of \(events.count) events were PB2 suggestions")
        for event in events { try space.validate(event.after, context: "event \(event.sequence)") }
        for why in explained {
            #expect(why.standardDeviation.isFinite && why.mean.isFinite && why.kappa > 0 && why.window <= why.rows)
        }
        if synchronous {
            #expect(explained.contains { $0.pending > 0 }, "a round's later copiers count the earlier ones' choices")
        }
        let members = try await first.members(of: config.name)
        #expect(members.allSatisfy { $0.status == .done && $0.step == config.schedule.steps })
    }

    /// A member whose score rises at `0.3 · lr + 0.5` per step with adam, `0.3 · lr` otherwise.
    final class Mixed: Trainable {
        var rate = 0.0, score = 0.0

        func apply(_ hyperparameters: Hyperparameters) async throws {
            rate = 0.3 * hyperparameters["lr"]!.number! + (hyperparameters["opt"] == "adam" ? 0.5 : 0)
        }
        func train(steps: Int) async throws { score += Double(steps) * rate }
        func evaluate() async throws -> Double { score }
        func save() async throws -> [UInt8] { withUnsafeBytes(of: score) { Array($0) } }
        func restore(from checkpoint: [UInt8]) async throws {
            score = checkpoint.withUnsafeBytes { $0.loadUnaligned(as: Double.self) }
        }
    }

    struct MixedWorkload: Workload {
        var hyperparameterNames: [String] { ["lr", "opt"] }
        func makeTrainable(hyperparameters: Hyperparameters, seed: UInt64) async throws -> any Trainable {
            let trainable = Mixed()
            try await trainable.apply(hyperparameters)
            return trainable
        }
    }

    /// PB2-Mix through the worker and the store; PB2MixTests checks that it chooses well.
    @Test("an unordered choice runs end to end: drawn by the bandit, explained in the events, reproducible")
    func unorderedChoice() async throws {
        let config = ExperimentConfig(
            name: "pb2-mix", workload: WorkloadSpec(name: "mixed"), population: 6,
            schedule: try TrainingSchedule(steps: 100, interval: 10, synchronous: true), seed: 3,
            exploit: .truncation(fraction: 0.5), explore: .pb2(PB2Settings()),
            hyperparameters: [
                "lr": .uniform(lower: 0, upper: 1), "opt": .choice(["sgd", "adam", "rmsprop"], ordered: false),
            ])
        func runEvents() async throws -> [ExploitEvent] {
            let store = InMemoryStore()
            try await LocalRunner(config: config, store: store, workload: MixedWorkload()).run(workers: 1)
            return try await store.events(of: config.name)
        }
        let events = try await runEvents()
        #expect(try await runEvents().map(\.untimed) == events.map(\.untimed))
        let explained = events.filter { $0.explanation != nil }
        #expect(explained.count >= events.count / 2, "\(explained.count) of \(events.count) events were suggestions")
        for event in explained {
            let choice = try #require(event.explanation?.categories?.first)
            #expect(choice.name == "opt" && event.after["opt"] == choice.value)
            #expect(abs(choice.probabilities.reduce(0, +) - 1) < 1e-12)
            #expect(event.explanation?.kernel.mix != nil)
            #expect(event.mutations.map(\.name) == ["lr", "opt"])
            #expect(event.mutations[0].operation == event.mutations[1].operation)
        }
    }
}
