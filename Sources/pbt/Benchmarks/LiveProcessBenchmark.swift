import Foundation
import PBT
import PBTRuntime
import PBTStore

/// Live processes (`pbt bench external`): a population trained by a program that is slow to
/// start, with exploits (PBT) and without (the same members, exploit `none`), in the same run.
/// Process starts are counted by the workers' pool; exploits are events whose donor is another
/// member.
enum LiveProcessBenchmark {
    /// What to run.
    struct Setup {
        var program: String
        var startup: Double
        var stepSeconds: Double
        var members: Int
        var workers: Int
        var steps: Int
        var interval: Int
    }

    /// One arm's outcome.
    struct Arm {
        var starts: Int
        var failures: Int
        var exploits: Int
        var readyPoints: Int
        var seconds: Double
    }

    /// Runs PBT, then the same members without exploits.
    static func run(_ setup: Setup) async throws -> (pbt: Arm, reference: Arm) {
        let pbt = try await arm(setup, exploit: .truncation(fraction: 0.25), explore: .perturb(factors: [0.8, 1.2]))
        let reference = try await arm(setup, exploit: .none, explore: .none)
        return (pbt, reference)
    }

    private static func arm(_ setup: Setup, exploit: ExploitSpec, explore: ExploreSpec) async throws -> Arm {
        let scratch = NSTemporaryDirectory() + "pbt-bench-live-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let spec = CommandSpec(
            arguments: ["python3", setup.program, String(setup.startup), String(setup.stepSeconds)],
            directory: FileManager.default.currentDirectoryPath, timeout: 60)
        let config = ExperimentConfig(
            name: "bench-live", workload: WorkloadSpec(command: spec), population: setup.members,
            schedule: try TrainingSchedule(steps: setup.steps, interval: setup.interval), seed: 1, exploit: exploit,
            explore: explore, hyperparameters: ["lr": .logUniform(lower: 0.01, upper: 1)])
        let workload = try ExternalProgram(
            spec: spec, experiment: config.name, logDirectory: scratch, hyperparameterNames: ["lr"])
        let store = InMemoryStore()
        let clock = ContinuousClock()
        let start = clock.now
        let runner = try LocalRunner(config: config, store: store, workload: workload, storeCalls: .inPlace)
        let starts = try await runner.run(workers: setup.workers)
        let elapsed = clock.now - start
        let members = try await store.members(of: config.name)
        return Arm(
            starts: starts, failures: members.map { $0.failures }.reduce(0, +),
            exploits: try await store.events(of: config.name).filter { $0.donor != $0.member }.count,
            readyPoints: try await store.scores(of: config.name).count,
            seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18)
    }
}
