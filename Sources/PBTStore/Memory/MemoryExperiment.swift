import Foundation
import PBT

/// One experiment's data inside `InMemoryStore` (and, through it, a SQLite store's working set).
package struct MemoryExperiment {
    package var record: ExperimentRecord
    package var members: [MemberRecord]
    package var scores: [ScoreRecord] = []
    /// Every score of each member as reported, oldest first, indexed by slot.
    package var scoreHistory: [[Double]]
    package var events: [ExploitEvent] = []
    /// The step of each member's latest copy of another member, indexed by slot.
    package var lastExploitSteps: [Int?]
    package var checkpoints: [Int64: Checkpoint] = [:]
    /// The SHA-256 of each checkpoint's bytes, recorded when it was saved.
    package var digests: [Int64: String] = [:]
    package var fallbacks: [FallbackRecord] = []
    /// Each member's own checkpoints, oldest first.
    package var checkpointsByMember: [[Int64]]
    /// How many file checkpoints retention has dropped so far: when it grows, files may have
    /// become garbage.
    package var droppedFiles = 0

    /// The SHA-256 of every checkpoint kept as a file.
    package var fileDigests: [String] {
        checkpoints.values.compactMap { checkpoint in
            if case .file(let file) = checkpoint.payload { file.sha256 } else { nil }
        }
    }

    init(record: ExperimentRecord, members initial: [Hyperparameters]) {
        self.record = record
        members = initial.enumerated().map { MemberRecord(slot: $0.offset, hyperparameters: $0.element) }
        scoreHistory = Array(repeating: [], count: initial.count)
        lastExploitSteps = Array(repeating: nil, count: initial.count)
        checkpointsByMember = Array(repeating: [], count: initial.count)
    }

    /// An experiment as a file holds it, leases dropped: they belonged to workers of a process
    /// that is gone.
    /// - Parameter checkpoints: every stored checkpoint with its recorded SHA-256, by id.
    package init(
        record: ExperimentRecord, members stored: [MemberRecord], scores: [ScoreRecord], events: [ExploitEvent],
        checkpoints saved: [(checkpoint: Checkpoint, sha256: String)], fallbacks: [FallbackRecord]
    ) {
        self.record = record
        members = stored.map {
            var member = $0
            member.lease = nil
            return member
        }
        self.scores = scores
        scoreHistory = Array(repeating: [], count: stored.count)
        for score in scores { scoreHistory[score.member].append(score.score) }
        self.events = events
        lastExploitSteps = Array(repeating: nil, count: stored.count)
        for event in events where event.donor != event.member { lastExploitSteps[event.member] = event.step }
        self.fallbacks = fallbacks
        checkpointsByMember = Array(repeating: [], count: stored.count)
        for (checkpoint, sha256) in saved.sorted(by: { $0.checkpoint.id < $1.checkpoint.id }) {
            checkpoints[checkpoint.id] = checkpoint
            digests[checkpoint.id] = sha256
            checkpointsByMember[checkpoint.member].append(checkpoint.id)
        }
    }

    mutating func claim(worker: String, until expiry: Date, now: Date, preferring preferred: Set<Int>) -> ClaimOutcome {
        var best: Int?
        var unfinished = false
        let order = { (member: MemberRecord) in Self.claimOrder(member, preferring: preferred) }
        for slot in members.indices where members[slot].status == .ready || members[slot].status == .waiting {
            unfinished = true
            guard members[slot].status == .ready, members[slot].lease.map({ $0.expiresAt <= now }) ?? true else {
                continue
            }
            if best == nil || order(members[slot]) < order(members[best!]) { best = slot }
        }
        guard let slot = best else { return unfinished ? .busy : .finished }
        members[slot].lease = Lease(worker: worker, expiresAt: expiry)
        return .claimed(members[slot])
    }

    /// Claims go to the least-advanced member; among equals, to a preferred one, then to the
    /// one that committed least recently (lowest checkpoint id), then the lowest slot.
    static func claimOrder(_ member: MemberRecord, preferring preferred: Set<Int>) -> (Int, Int, Int64, Int) {
        (member.step, preferred.contains(member.slot) ? 0 : 1, member.checkpoint ?? 0, member.slot)
    }

    func checkLease(_ member: Int, worker: String, now: Date) throws {
        guard members.indices.contains(member) else {
            throw StoreError(
                .memberOutOfRange,
                "experiment '\(record.name)': member \(member) is out of range 0..<\(members.count)")
        }
        guard members[member].lease?.worker == worker else {
            throw StoreError(
                .leaseLost, "experiment '\(record.name)': worker '\(worker)' no longer holds member \(member)")
        }
    }

    /// What `record` changed, so a failed commit can be undone.
    struct Undo {
        let member: MemberRecord
        let checkpoint: Int64
    }

    /// Records the score of `point` and its state as checkpoint `id` and moves the member there.
    /// - Parameters:
    ///   - payload: the state as the store keeps it (`point.payload` adopted).
    ///   - sha256: its SHA-256.
    /// - Parameter time: when the score is recorded.
    mutating func record(
        _ point: ReadyPoint, payload: CheckpointPayload, sha256: String, id: Int64, at time: Date
    ) -> Undo {
        let undo = Undo(member: members[point.member], checkpoint: id)
        checkpoints[undo.checkpoint] = Checkpoint(
            id: undo.checkpoint, member: point.member, step: point.step, payload: payload)
        digests[undo.checkpoint] = sha256
        checkpointsByMember[point.member].append(undo.checkpoint)
        scores.append(point.scoreRecord(at: time))
        scoreHistory[point.member].append(point.score)
        members[point.member].step = point.step
        members[point.member].score = point.score
        members[point.member].checkpoint = undo.checkpoint
        return undo
    }

    mutating func undo(_ undo: Undo) {
        let member = undo.member.slot
        checkpoints[undo.checkpoint] = nil
        digests[undo.checkpoint] = nil
        checkpointsByMember[member].removeLast()
        scores.removeLast()
        scoreHistory[member].removeLast()
        members[member] = undo.member
    }

    /// The population as a commit's `decide` sees it, with the latest `historyRows` scores and
    /// events.
    func population(historyRows: Int) -> PopulationState {
        PopulationState(
            members: members, recentScores: scoreHistory, lastExploitSteps: lastExploitSteps,
            history: Array(scores.suffix(historyRows)), events: Array(events.suffix(historyRows)))
    }

    /// Throws unless every update names members of this experiment, points at a stored
    /// checkpoint, and holds only finite hyperparameters and a score that is not NaN (what the
    /// SQL stores can keep).
    func validate(_ updates: [MemberUpdate]) throws {
        // Every commit passes here: nothing is allocated unless something is wrong.
        let what = { (slot: Int) in "experiment '\(record.name)': member \(slot)'s hyperparameters" }
        for update in updates {
            for slot in [update.slot, update.event?.member, update.event?.donor]
            where slot.map({ !members.indices.contains($0) }) ?? false {
                throw StoreError(.memberOutOfRange, "update for member \(slot!) out of range 0..<\(members.count)")
            }
            try StoreJSON.checkFinite(update.hyperparameters, what(update.slot))
            if let score = update.score, score.isNaN {
                throw StoreError.nanUpdateScore(experiment: record.name, member: update.slot)
            }
            if let event = update.event {
                try StoreJSON.checkFinite(event.before, what(update.slot))
                try StoreJSON.checkFinite(event.after, what(update.slot))
            }
            if let checkpoint = update.checkpoint, checkpoints[checkpoint] == nil {
                throw StoreError(
                    .checkpointMissing, "update points member \(update.slot) at missing checkpoint \(checkpoint)")
            }
        }
    }

    /// Applies `updates`, recording their events at `time`.
    mutating func apply(_ updates: [MemberUpdate], at time: Date) {
        for update in updates {
            members[update.slot].step = update.step
            members[update.slot].status = update.status
            members[update.slot].hyperparameters = update.hyperparameters
            members[update.slot].checkpoint = update.checkpoint
            if let score = update.score { members[update.slot].score = score }
            if var event = update.event {
                event.sequence = events.count + 1
                event.recordedAt = time
                events.append(event)
                if event.donor != event.member { lastExploitSteps[event.member] = event.step }
            }
        }
    }

    /// Drops the member's own checkpoints older than its newest `keep`, unless a member points
    /// to them (those stay listed, and go at a later commit once nothing points to them).
    mutating func retainCheckpoints(of member: Int, keep: Int) {
        guard checkpointsByMember[member].count > keep else { return }
        var own: [Int64] = []
        swap(&own, &checkpointsByMember[member])
        let newest = own[own.count - keep]
        own.removeAll { id in
            guard id < newest, !members.contains(where: { $0.checkpoint == id }) else { return false }
            if case .file = checkpoints[id]?.payload { droppedFiles += 1 }
            checkpoints[id] = nil
            digests[id] = nil
            return true
        }
        checkpointsByMember[member] = own
    }
}
