import Foundation
import PBT
import PBTRuntime
import PBTStore
import Testing

/// Every experiment ends, whatever its scores do: the progress rules of `Scheduler.decide`
/// bound a member's ready points by 2K − 1, K = ⌈steps / interval⌉.
@Suite("Progress: every experiment ends within its bound of ready points")
struct ProgressTests {
    /// How a score responds to training.
    enum Shape: CaseIterable {
        /// Training makes the score worse: an earlier step always scores better.
        case diverging
        /// The score rises and falls with the trained amount.
        case oscillating
        /// Every state scores the same.
        case constant
        /// Every third ready point scores NaN (recorded as the worst score).
        case nan
        /// An unrelated number at every state.
        case noise
    }

    /// A trainable whose state is a step counter and the sum of `h` over the steps trained, so
    /// that copying a donor changes what it scores.
    final class Climber: Trainable {
        let shape: Shape
        var h: Double
        var step = 0
        var position = 0.0

        init(shape: Shape, h: Double) {
            self.shape = shape
            self.h = h
        }

        func apply(_ hyperparameters: Hyperparameters) async throws { h = hyperparameters["h"]!.number! }

        func train(steps: Int) async throws {
            step += steps
            position += Double(steps) * h
        }

        func evaluate() async throws -> Double {
            switch shape {
            case .diverging: -position * position
            case .oscillating: sin(position)
            case .constant: 1
            case .nan: (step / 5) % 3 == 0 ? .nan : -position
            case .noise: Self.unit(UInt64(step) &* 0x9E37_79B9_7F4A_7C15 ^ position.bitPattern)
            }
        }

        /// A number in [0, 1) that looks unrelated to `bits` (SplitMix64's finaliser).
        static func unit(_ bits: UInt64) -> Double {
            var z = bits &+ 0x9E37_79B9_7F4A_7C15
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return Double((z ^ (z >> 31)) >> 11) / Double(UInt64(1) << 53)
        }

        func save() async throws -> [UInt8] {
            withUnsafeBytes(of: (step, position)) { Array($0) }
        }

        func restore(from checkpoint: [UInt8]) async throws {
            (step, position) = checkpoint.withUnsafeBytes { $0.loadUnaligned(as: (Int, Double).self) }
        }
    }

    struct Climbing: Workload {
        let shape: Shape
        var hyperparameterNames: [String] { ["h"] }

        func makeTrainable(hyperparameters: Hyperparameters, seed: UInt64) async throws -> any Trainable {
            Climber(shape: shape, h: hyperparameters["h"]!.number!)
        }
    }

    // The limit is a safety net for a livelock, which never ends: 42 runs of milliseconds
    // each, but they wait for the cooperative pool while other suites train (seen over 2
    // minutes at load average 6–17).
    @Test(
        "ready points stay within population × (2K − 1) for every score shape, population 2–8, 1 and 2 workers",
        .timeLimit(.minutes(10)), arguments: Shape.allCases)
    func bounded(shape: Shape) async throws {
        let exploits: [ExploitSpec] = [.truncation(fraction: 0.34), .tournament, .ttest(window: 2, alpha: 0.05)]
        for population in 2...8 {
            for workers in [1, 2] {
                for (index, exploit) in exploits.enumerated() {
                    let schedule = try TrainingSchedule(steps: 40, interval: 5)
                    let config = ExperimentConfig(
                        name: "progress", workload: WorkloadSpec(name: "climbing"), population: population,
                        schedule: schedule, seed: UInt64(population * 10 + index), exploit: exploit,
                        explore: .perturb(factors: [0.8, 1.2]), hyperparameters: ["h": .uniform(lower: 2.1, upper: 3)])
                    let store = InMemoryStore()
                    let runner = try LocalRunner(config: config, store: store, workload: Climbing(shape: shape))
                    try await runner.run(workers: workers)
                    let scores = try await store.scores(of: "progress")
                    let members = try await store.members(of: "progress")
                    let k = (schedule.steps + schedule.interval - 1) / schedule.interval
                    #expect(members.allSatisfy { $0.status == .done && $0.step == 40 })
                    for slot in 0..<population {
                        let readyPoints = scores.count { $0.member == slot }
                        #expect(
                            readyPoints <= 2 * k - 1,
                            """
                            \(shape), population \(population), \(workers) workers, \(exploit): \
                            member \(slot) has \(readyPoints) ready points
                            """
                        )
                    }
                }
            }
        }
    }

    // The limit is a safety net for a livelock, which never ends; the run takes milliseconds
    // alone, but waits for the cooperative pool while the other suites train (CI: over 60 s).
    @Test(
        "the paper's livelock case (issue 13): diverging quadratic, population 3, one worker, ends",
        .timeLimit(.minutes(5)))
    func divergingQuadratic() async throws {
        let config = ExperimentConfig(
            name: "livelock", workload: WorkloadSpec(name: "quadratic", options: ["step_size": 0.5]), population: 3,
            schedule: try TrainingSchedule(steps: 40, interval: 5), seed: 1, exploit: .truncation(fraction: 0.34),
            explore: .perturb(factors: [0.8, 1.2]),
            hyperparameters: ["h0": .uniform(lower: 2.1, upper: 3), "h1": .uniform(lower: 2.1, upper: 3)])
        let store = try await run(config, workers: 1)
        let scores = try await store.scores(of: "livelock")
        let events = try await store.events(of: "livelock")
        #expect(scores.count <= 3 * 15)
        #expect(events.contains { $0.donorStep < $0.step }, "a member went back to a lagging donor")
    }
}
