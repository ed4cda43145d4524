import Foundation
import PBT
import PBTRuntime
import PBTStore
import PBTWorkloads
import Synchronization
import Testing

/// A worker that loses its member while it cannot reach the store, and finds the member's
/// checkpoint gone when the store answers again, drops the member and goes on.
@Suite("Worker: a member lost while away")
struct LostMemberTests {
    @Test func aCheckpointThatVanishedWithTheLeaseDropsTheMember() async throws {
        let config = try ExperimentConfig(
            yaml: """
                name: lost
                workload: quadratic
                population: 2
                steps: 40
                interval: 4
                seed: 3
                exploit: {strategy: none}
                explore: {strategy: none}
                hyperparameters:
                  h0: {uniform: [0, 1]}
                  h1: {uniform: [0, 1]}
                """)
        let clock = ManualClock()
        let store = StealingStore(InMemoryStore(keep: 2, now: { clock.now }), clock: clock)
        let runner = try LocalRunner(config: config, store: store, workload: Quadratic())
        try await runner.open()
        let lines = Mutex<[String]>([])
        // One cached state for two members: each claim of the other member reads its checkpoint.
        var worker = Worker(
            store: store, experiment: "lost", scheduler: runner.scheduler, workload: Quadratic(), name: "away",
            lease: .seconds(60))
        worker.log = { line in lines.withLock { $0.append(line) } }
        try await worker.run()

        let stolen = try #require(store.stolen)
        #expect(
            lines.withLock { $0 }.contains { $0.contains("no longer holds member \(stolen)") },
            "\(lines.withLock { $0 })")
        let members = try await store.members(of: "lost")
        #expect(members.allSatisfy { $0.status == .done && $0.step == 40 }, "\(members) \(lines.withLock { $0 })")
        let scores = try await store.scores(of: "lost")
        #expect(scores.filter { $0.member == stolen }.map(\.step) == Array(stride(from: 4, through: 40, by: 4)))
    }
}

/// A clock the test moves.
final class ManualClock: Sendable {
    private let time = Mutex(Date(timeIntervalSince1970: 1_700_000_000))
    var now: Date { time.withLock { $0 } }
    func advance(by seconds: TimeInterval) { time.withLock { $0 = $0.addingTimeInterval(seconds) } }
}

/// An in-memory store where, the first time a worker reads a member's current checkpoint,
/// that worker's lease lapses and another worker takes the member and commits it twice (what
/// happens while the first worker cannot reach the store), so the checkpoint is gone when the
/// read arrives.
final class StealingStore: PopulationStore {
    let base: InMemoryStore
    let clock: ManualClock
    private let taken = Mutex<Int?>(nil)

    /// The member taken, once it was.
    var stolen: Int? { taken.withLock { $0 } }

    init(_ base: InMemoryStore, clock: ManualClock) {
        self.base = base
        self.clock = clock
    }

    func checkpoint(of experiment: String, id: Int64) async throws -> Checkpoint {
        let member = try await base.members(of: experiment).first { $0.checkpoint == id && $0.lease != nil }
        let first = taken.withLock { slot -> Bool in
            guard slot == nil, let member else { return false }
            slot = member.slot
            return true
        }
        if first, let member { try await steal(member, experiment) }
        return try await base.checkpoint(of: experiment, id: id)
    }

    /// Lets the lease on `member` lapse, then another worker claims it and commits it twice.
    private func steal(_ member: MemberRecord, _ experiment: String) async throws {
        // The thief's model states: the member's own, as the thief restored it.
        let state = try await base.checkpoint(of: experiment, id: member.checkpoint!).payload.bytes()
        clock.advance(by: 120)
        var others: [Int] = []
        var step = member.step
        for _ in 0..<2 {
            while true {
                guard
                    case .claimed(let claimed) = try await base.claim(
                        experiment: experiment, worker: "thief", lease: .seconds(60))
                else { throw StoreError(.invalid, "the thief found nothing to claim") }
                if claimed.slot == member.slot { break }
                others.append(claimed.slot)
            }
            step += 4
            let reached = step
            _ = try await base.commit(
                ReadyPoint(
                    experiment: experiment, member: member.slot, worker: "thief", step: reached, score: 0,
                    hyperparameters: member.hyperparameters, checkpoint: state),
                scoreWindow: 1
            ) { state in
                [
                    MemberUpdate(
                        slot: member.slot, step: reached, status: .ready, hyperparameters: member.hyperparameters,
                        checkpoint: state.members[member.slot].checkpoint)
                ]
            }
        }
        for slot in others { try await base.release(experiment: experiment, member: slot, worker: "thief") }
    }

    func create(_ experiment: ExperimentRecord, members: [Hyperparameters]) async throws -> Bool {
        try await base.create(experiment, members: members)
    }
    func experiments() async throws -> [ExperimentRecord] { try await base.experiments() }
    func experiment(named name: String) async throws -> ExperimentRecord? { try await base.experiment(named: name) }
    func claim(experiment: String, worker: String, lease: Duration) async throws -> ClaimOutcome {
        try await base.claim(experiment: experiment, worker: worker, lease: lease)
    }
    func renew(experiment: String, member: Int, worker: String, lease: Duration) async throws {
        try await base.renew(experiment: experiment, member: member, worker: worker, lease: lease)
    }
    func release(experiment: String, member: Int, worker: String) async throws {
        try await base.release(experiment: experiment, member: member, worker: worker)
    }
    func commit(
        _ point: ReadyPoint, scoreWindow: Int, historyRows: Int,
        decide: @escaping @Sendable (PopulationState) throws -> [MemberUpdate]
    ) async throws -> CommitResult {
        try await base.commit(point, scoreWindow: scoreWindow, historyRows: historyRows, decide: decide)
    }
    func recordRun(experiment: String, seconds: Double?, stop: StopRecord?) async throws -> ExperimentRecord {
        try await base.recordRun(experiment: experiment, seconds: seconds, stop: stop)
    }
    func fail(experiment: String, member: Int, worker: String, failures: Int) async throws {
        try await base.fail(experiment: experiment, member: member, worker: worker, failures: failures)
    }
    func recordFailure(
        experiment: String, member: Int, worker: String, maxFailures: Int, scoreWindow: Int, historyRows: Int,
        decide: @escaping @Sendable (PopulationState) throws -> [MemberUpdate]
    ) async throws -> MemberRecord {
        try await base.recordFailure(
            experiment: experiment, member: member, worker: worker, maxFailures: maxFailures, scoreWindow: scoreWindow,
            historyRows: historyRows, decide: decide)
    }
    func members(of experiment: String) async throws -> [MemberRecord] { try await base.members(of: experiment) }
    func scores(of experiment: String) async throws -> [ScoreRecord] { try await base.scores(of: experiment) }
    func events(of experiment: String) async throws -> [ExploitEvent] { try await base.events(of: experiment) }
    func fallBack(experiment: String, member: Int, worker: String, reason: String) async throws -> MemberRecord {
        try await base.fallBack(experiment: experiment, member: member, worker: worker, reason: reason)
    }
    func fallbacks(of experiment: String) async throws -> [FallbackRecord] { try await base.fallbacks(of: experiment) }
    func storedCheckpoints(of experiment: String) async throws -> [StoredCheckpoint] {
        try await base.storedCheckpoints(of: experiment)
    }
    func delete(experiment: String) async throws { try await base.delete(experiment: experiment) }
}
