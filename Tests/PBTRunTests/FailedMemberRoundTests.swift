import PBT
import PBTRuntime
import PBTStore
import Testing

/// A member that fails for good in a synchronous round must not hold the round: the members
/// waiting for it go on without it.
@Suite("Runs: a failed member leaves its synchronous round")
struct FailedMemberRoundTests {
    /// Trains normally, except that a member with h ≥ 0.9 fails every segment past step 5.
    /// (Random search: the round barrier is the same whatever the strategies, and no copy can
    /// carry the brittle value to another member.)
    final class Brittle: Trainable {
        var h: Double
        var step = 0

        init(h: Double) { self.h = h }

        struct Broken: Error {}

        func apply(_ hyperparameters: Hyperparameters) async throws { h = hyperparameters["h"]!.number! }
        func train(steps: Int) async throws {
            if h >= 0.9 && step >= 5 { throw Broken() }
            step += steps
        }
        func evaluate() async throws -> Double { Double(step) + h / 10 }
        func save() async throws -> [UInt8] { withUnsafeBytes(of: step) { Array($0) } }
        func restore(from checkpoint: [UInt8]) async throws {
            step = checkpoint.withUnsafeBytes { $0.loadUnaligned(as: Int.self) }
        }
    }

    struct BrittleWorkload: Workload {
        var hyperparameterNames: [String] { ["h"] }
        func makeTrainable(hyperparameters: Hyperparameters, seed: UInt64) async throws -> any Trainable {
            Brittle(h: hyperparameters["h"]!.number!)
        }
    }

    // The limit only catches the hang this test is about; the run takes milliseconds.
    @Test(
        "the others finish every round and the budget; the failed member stays failed at its last ready point",
        .timeLimit(.minutes(10)), arguments: [1, 2])
    func othersGoOn(workers: Int) async throws {
        let config = ExperimentConfig(
            name: "brittle", workload: WorkloadSpec(name: "brittle"), population: 3,
            schedule: try TrainingSchedule(steps: 20, interval: 5, synchronous: true), seed: 4,
            exploit: .none, explore: .none, hyperparameters: ["h": .uniform(lower: 0, upper: 1)],
            initial: [Hyperparameters(["h": 0.95]), Hyperparameters(["h": 0.2]), Hyperparameters(["h": 0.4])])
        let store = InMemoryStore()
        try await LocalRunner(config: config, store: store, workload: BrittleWorkload()).run(workers: workers)
        let members = try await store.members(of: "brittle").sorted { $0.slot < $1.slot }
        #expect(members[0].status == .failed && members[0].step == 5)
        #expect(members[1...].allSatisfy { $0.status == .done && $0.step == 20 }, "\(members)")
        let scores = try await store.scores(of: "brittle")
        for slot in 1...2 {
            #expect(scores.filter { $0.member == slot }.map(\.step) == [5, 10, 15, 20])
        }
    }
}
