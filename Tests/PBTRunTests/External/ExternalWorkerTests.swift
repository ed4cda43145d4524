import Foundation
import PBT
import PBTRuntime
import PBTStore
import Testing

/// The worker loop with an external program: restarts from the last good checkpoint, and
/// marks a member failed after `max_failures` while the experiment completes.
@Suite("External program: worker")
struct ExternalWorkerTests {
    /// Runs a 2-member experiment of 20 steps (ready every 5) on the fake program.
    /// - Parameter pool: live programs (default: `workers`; 2 gives each member its own).
    private func run(_ program: ExternalProgram, workers: Int = 1, pool: Int? = nil) async throws -> InMemoryStore {
        let config = ExperimentConfig(
            name: "fake", workload: WorkloadSpec(command: program.spec), population: 2,
            schedule: try TrainingSchedule(steps: 20, interval: 5), exploit: .none, explore: .none,
            hyperparameters: ["lr": .uniform(lower: 0, upper: 1)])
        let store = InMemoryStore()
        try await LocalRunner(config: config, store: store, workload: program).run(workers: workers, pool: pool)
        return store
    }

    @Test func aWellBehavedProgramTrainsEveryMemberToItsBudget() async throws {
        let folder = try ProgramFolder()
        defer { folder.remove() }
        let store = try await run(try folder.workload(), workers: 2)
        for member in try await store.members(of: "fake") {
            #expect(member.status == .done && member.step == 20 && member.score == 20 && member.failures == 0)
        }
        #expect(try await store.scores(of: "fake").count == 8)
    }

    /// A program speaking another protocol version, or reading other hyperparameters than the
    /// experiment tunes, is started once per member and never again.
    @Test(arguments: [["REPLY_VERSION": "7"], ["READS": #""momentum""#]])
    func anIncompatibleProgramFailsEachMemberAtOnceInsteadOfRetrying(environment: [String: String]) async throws {
        let folder = try ProgramFolder()
        defer { folder.remove() }
        let events = folder.path + "/events"
        let store = try await run(try folder.workload(environment.merging(["EVENTS": events]) { $1 }, maxFailures: 3))
        for member in try await store.members(of: "fake") {
            #expect(member.status == .failed && member.failures == 1, "\(member)")
        }
        let starts = try String(contentsOfFile: events, encoding: .utf8).split(separator: "\n").filter {
            $0.hasPrefix("start ")
        }
        #expect(starts.count == 2, "\(starts)")
        #expect(try await store.scores(of: "fake").isEmpty)
    }

    @Test(arguments: ["exit", "garbage", "nan", "nosave"])
    func aFailedMemberRestartsFromItsLastCheckpoint(mode: String) async throws {
        let folder = try ProgramFolder()
        defer { folder.remove() }
        // Member 1 misbehaves once, at its 3rd ready point (after 2 commits, at step 10).
        let store = try await run(try folder.workload(["MODE": mode, "FAIL_AT": "3", "ONCE": "1", "FAIL_MEMBER": "1"]))
        let members = try await store.members(of: "fake")
        #expect(members[0].failures == 0 && members[1].failures == 1)
        for member in members {
            // score == x == steps trained only if the restarted program loaded step 10's state.
            #expect(member.status == .done && member.step == 20 && member.score == 20)
        }
        let steps = try await store.scores(of: "fake").filter { $0.member == 1 }.map(\.step)
        #expect(steps == [5, 10, 15, 20])
        #expect(folder.log(member: 1).components(separatedBy: "--- pbt: member 1: starting").count == 3)
    }

    @Test func pastMaxFailuresTheMemberFailsAndTheExperimentCompletes() async throws {
        let folder = try ProgramFolder()
        defer { folder.remove() }
        let program = try folder.workload(["MODE": "exit", "FAIL_AT": "2", "FAIL_MEMBER": "0"], maxFailures: 2)
        // Each of member 0's programs commits one ready point, then dies at its second train
        // (each member has a program of its own: requests are counted per program).
        let store = try await run(program, pool: 2)
        let members = try await store.members(of: "fake")
        #expect(members[0].status == .failed && members[0].failures == 3)
        #expect(members[0].step == 15 && members[0].score == 15)  // its committed work is kept
        #expect(members[1].status == .done && members[1].score == 20)
        let summary = try await RunSummary(experiment: "fake", store: store, mode: .max)
        #expect(summary.best?.member == 1)
        #expect(summary.members[0].status == .failed)
    }
}
