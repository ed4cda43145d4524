import Foundation
import PBT
import PBTRuntime
import PBTStore
import Testing

/// A worker process keeps at most `--pool` programs alive, starts one per member at most, and
/// serves exploits by `load` into live programs.
@Suite("External program: live processes")
struct LiveProcessTests {
    /// What the fake program's `EVENTS` file says.
    struct Events {
        var starts = 0
        var loads = 0
        /// The most programs alive at once.
        var mostAlive = 0

        init(_ text: String) {
            var alive = 0
            for line in text.split(separator: "\n") {
                switch line.split(separator: " ").first {
                case "start":
                    starts += 1
                    alive += 1
                    mostAlive = max(mostAlive, alive)
                case "load": loads += 1
                case "exit": alive -= 1
                default: break
                }
            }
        }
    }

    @Test(arguments: [1, 2])
    func exploitsLoadIntoLiveProcessesAndEachMemberStartsAtMostOne(workers: Int) async throws {
        let folder = try ProgramFolder()
        defer { folder.remove() }
        let events = folder.path + "/events"
        let program = try folder.workload(["EVENTS": events])
        let members = 6
        let config = ExperimentConfig(
            name: "fake", workload: WorkloadSpec(command: program.spec), population: members,
            schedule: try TrainingSchedule(steps: 40, interval: 5), seed: 3, exploit: .truncation(fraction: 0.34),
            explore: .perturb(factors: [0.8, 1.2]), hyperparameters: ["lr": .uniform(lower: 0, upper: 1)])
        let store = InMemoryStore()
        let starts = try await LocalRunner(config: config, store: store, workload: program).run(workers: workers)

        let seen = Events(try String(contentsOfFile: events, encoding: .utf8))
        let exploits = try await store.events(of: "fake").filter { $0.donor != $0.member }.count
        let failures = try await store.members(of: "fake").map(\.failures).reduce(0, +)
        #expect(failures == 0)
        #expect(seen.starts == starts)
        // Only a member without a checkpoint (its first ready point) needs a new program.
        #expect(starts <= members + failures)
        #expect(seen.mostAlive <= workers)
        #expect(exploits > 0)
        // Every exploit is served by `load` into a program already running (none started later).
        #expect(seen.loads >= exploits, "\(seen.loads) loads for \(exploits) exploits")
        // The fake program's score is the steps its state trained: every score equals its step
        // only if every `load` brought the right state into the live program.
        for score in try await store.scores(of: "fake") {
            #expect(score.score == Double(score.step), "member \(score.member) at step \(score.step): \(score.score)")
        }
        for member in try await store.members(of: "fake") {
            #expect(member.status == .done && member.step == 40)
        }
    }

    @Test func aReusedProcessWritesToTheLogOfTheMemberItTrains() async throws {
        let folder = try ProgramFolder(
            script: FakeProgram.script.replacingOccurrences(
                of: #"*'"type":"train"'*)"#, with: #"*'"type":"train"'*) echo "training member $PBT_MEMBER" >&2;"#))
        defer { folder.remove() }
        let program = try folder.workload()
        let config = ExperimentConfig(
            name: "fake", workload: WorkloadSpec(command: program.spec), population: 2,
            schedule: try TrainingSchedule(steps: 10, interval: 5), exploit: .none, explore: .none,
            hyperparameters: ["lr": .uniform(lower: 0, upper: 1)])
        // One live program for two members: member 1's program trains member 0 at step 5.
        let starts = try await LocalRunner(config: config, store: InMemoryStore(), workload: program).run(workers: 1)
        #expect(starts == 2)
        for member in 0..<2 {
            let log = folder.log(member: member)
            #expect(!log.contains("training member \(1 - member)"), "\(log)")
            #expect(log.components(separatedBy: "training member \(member)").count == 3, "\(log)")
        }
        #expect(folder.log(member: 0).contains("continues in process"))
    }
}
