import Foundation

extension MemoryExperiment {
    /// The checkpoint `id` after checking its bytes against the recorded SHA-256 (a file's
    /// presence and size, and its bytes too with `readingFile`).
    func verifiedCheckpoint(_ id: Int64, readingFile: Bool = false) throws -> Checkpoint {
        guard let checkpoint = checkpoints[id], let expected = digests[id] else {
            throw StoreError.missing(experiment: record.name, id: id)
        }
        return try checkpoint.verified(against: expected, experiment: record.name, readingFile: readingFile)
    }

    /// Moves `member` to its newest own other checkpoint that verifies (files read whole, so
    /// that a damaged file is never chosen twice), or to a fresh start.
    mutating func fallBack(_ member: Int, worker: String, reason: String, now: Date) throws -> MemberRecord {
        try checkLease(member, worker: worker, now: now)
        let current = members[member]
        let candidates = checkpoints.values
            .filter { $0.member == member && $0.id != current.checkpoint }
            .sorted { $0.id > $1.id }
        let target = candidates.first { (try? verifiedCheckpoint($0.id, readingFile: true)) != nil }
        members[member].checkpoint = target?.id
        members[member].step = target?.step ?? 0
        fallbacks.append(
            FallbackRecord(
                member: member, fromCheckpoint: current.checkpoint, fromStep: current.step, toCheckpoint: target?.id,
                toStep: target?.step ?? 0, reason: reason, at: now))
        return members[member]
    }
}
