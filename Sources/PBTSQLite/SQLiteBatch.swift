import Foundation
import GRDB
import PBT
import PBTStore

/// What a SQLite file holds of one experiment, as of the last batch written to it.
struct FlushedImage: Sendable {
    /// The experiment's row id.
    var id: Int64
    var members: [MemberRecord]
    var scores: Int
    var events: Int
    var fallbacks: Int
    var checkpoints: Set<Int64>
    /// How many file checkpoints retention had dropped (`MemoryExperiment.droppedFiles`).
    var droppedFiles: Int
    /// The experiment's stop and run time (`PopulationStore.recordRun`).
    var run: Run

    /// What `recordRun` changes of an experiment row.
    struct Run: Hashable, Sendable {
        var stop: StopRecord?
        var seconds: Double?

        init(_ record: ExperimentRecord) {
            stop = record.stop
            seconds = record.runSeconds
        }

        /// What a new row holds: no stop, no run time.
        init() {}
    }

    /// The image of `experiment` as it stands in memory, stored under row `id` (0 until known).
    init(_ experiment: MemoryExperiment, id: Int64 = 0) {
        self.id = id
        members = experiment.members
        scores = experiment.scores.count
        events = experiment.events.count
        fallbacks = experiment.fallbacks.count
        checkpoints = Set(experiment.checkpoints.keys)
        droppedFiles = experiment.droppedFiles
        run = Run(experiment.record)
    }
}

/// One experiment's changes since the file's image of it: its part of a batch.
///
/// Built while the in-memory population is locked; it copies only what changed and keeps no
/// reference to the population's history (a slice would keep an array shared, and the next
/// append in memory would copy all of it).
struct ExperimentChanges: Sendable {
    let record: ExperimentRecord
    /// The experiment's row id; nil when it is not in the file yet.
    let id: Int64?
    let checkpoints: [(checkpoint: Checkpoint, sha256: String)]
    let members: [MemberRecord]
    let scores: [ScoreRecord]
    let events: [ExploitEvent]
    let fallbacks: [FallbackRecord]
    /// Checkpoints in the file that the population no longer holds.
    let deleted: [Int64]
    /// The experiment's stop and run time, when they changed.
    let run: FlushedImage.Run?
    /// The file's image of the experiment after the batch (its id set once written).
    let after: FlushedImage
    /// Whether retention dropped file checkpoints since the image: files may be garbage once
    /// the batch is written.
    var droppedFiles: Bool { after.droppedFiles > before }
    private let before: Int

    /// The changes of `experiment` since `image` (nil: the experiment is not in the file), or
    /// nil when there are none.
    init?(_ experiment: MemoryExperiment, since image: FlushedImage?) {
        let known = image?.checkpoints ?? []
        let members =
            image.map { image in experiment.members.filter { $0 != image.members[$0.slot] } } ?? experiment.members
        let checkpoints = experiment.checkpoints.values.filter { !known.contains($0.id) }
        let deleted = known.filter { experiment.checkpoints[$0] == nil }
        let (scores, events, fallbacks) = (image?.scores ?? 0, image?.events ?? 0, image?.fallbacks ?? 0)
        let run = FlushedImage.Run(experiment.record)
        let runChanged = run != (image?.run ?? FlushedImage.Run())
        guard
            image == nil || runChanged || !members.isEmpty || !checkpoints.isEmpty || !deleted.isEmpty
                || experiment.scores.count > scores || experiment.events.count > events
                || experiment.fallbacks.count > fallbacks
        else { return nil }
        record = experiment.record
        id = image?.id
        self.checkpoints = checkpoints.sorted { $0.id < $1.id }.map { ($0, experiment.digests[$0.id]!) }
        self.members = members
        self.scores = Array(experiment.scores[scores...])
        self.events = Array(experiment.events[events...])
        self.fallbacks = Array(experiment.fallbacks[fallbacks...])
        self.deleted = deleted.sorted()
        self.run = runChanged ? run : nil
        after = FlushedImage(experiment)
        before = image?.droppedFiles ?? 0
    }

    /// Writes the changes in the order the schema's keys need (the experiment and its members,
    /// new checkpoints, members pointing at them, history, then checkpoints nobody needs).
    /// - Returns: the experiment's row id.
    func write(_ db: Database, texts: inout JSONTexts) throws -> Int64 {
        let name = record.name
        let id = try self.id ?? insertExperiment(db, texts: &texts)
        let insertCheckpoint = try db.cachedStatement(
            sql: """
                INSERT INTO checkpoint (id, experiment, member, step, sha256, size, bytes, in_file)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """)
        for (checkpoint, sha256) in checkpoints {
            let bytes: Data? = if case .bytes(let bytes) = checkpoint.payload { Data(bytes) } else { nil }
            try insertCheckpoint.execute(arguments: [
                checkpoint.id, id, checkpoint.member, checkpoint.step, sha256, checkpoint.payload.size, bytes,
                bytes == nil,
            ])
        }
        let updateMember = try db.cachedStatement(
            sql: """
                UPDATE member SET step = ?, status = ?, hyperparameters = ?, checkpoint = ?, score = ?,
                    lease_worker = ?,
                    lease_expiry = ?, failures = ? WHERE experiment = ? AND slot = ?
                """)
        for member in members {
            try updateMember.execute(arguments: [
                member.step, member.status.rawValue,
                try texts.text(member.hyperparameters, "experiment '\(name)': member \(member.slot)'s hyperparameters"),
                member.checkpoint, member.score, member.lease?.worker, member.lease?.expiresAt.timeIntervalSince1970,
                member.failures, id, member.slot,
            ])
        }
        let insertScore = try db.cachedStatement(
            sql:
                """
                INSERT INTO score (experiment, member, step, score, hyperparameters, metrics, recorded) VALUES (?, ?, \
                ?, ?, ?, ?, ?)
                """
        )
        // Consecutive scores of a member mostly share its hyperparameters (one dictionary, so
        // comparing them is an identity check): each member's last text is reused.
        var last = [(Hyperparameters, String)?](repeating: nil, count: record.population)
        for score in scores {
            let text: String
            if let (hyperparameters, known) = last[score.member], hyperparameters == score.hyperparameters {
                text = known
            } else {
                text = try texts.text(score.hyperparameters, "experiment '\(name)': a score of member \(score.member)")
                last[score.member] = (score.hyperparameters, text)
            }
            let metrics = try StoreJSON.text(score.metrics, "experiment '\(name)': metrics of member \(score.member)")
            try insertScore.execute(arguments: [
                id, score.member, score.step, score.score, text, metrics, score.recordedAt?.timeIntervalSince1970,
            ])
        }
        let insertEvent = try db.cachedStatement(
            sql: """
                INSERT INTO event (experiment, sequence, member, step, donor, donor_step,
                    hyperparameters_before, hyperparameters_after, mutations, recorded)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
        for event in events {
            let label = "experiment '\(name)': event of member \(event.member)"
            try insertEvent.execute(arguments: [
                id, event.sequence, event.member, event.step, event.donor, event.donorStep,
                try texts.text(event.before, label), try texts.text(event.after, label),
                try texts.text(event.mutations, label),
                event.recordedAt?.timeIntervalSince1970,
            ])
        }
        let insertFallback = try db.cachedStatement(
            sql: """
                INSERT INTO fallback (experiment, member, from_checkpoint, from_step, to_checkpoint, to_step, reason,
                    at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """)
        for fallback in fallbacks {
            try insertFallback.execute(arguments: [
                id, fallback.member, fallback.fromCheckpoint, fallback.fromStep, fallback.toCheckpoint, fallback.toStep,
                fallback.reason, fallback.at.timeIntervalSince1970,
            ])
        }
        if let run {
            try db.execute(
                sql:
                    """
                    UPDATE experiment SET stop_rule = ?, stop_detail = ?, stopped_at = ?, run_seconds = ? WHERE id = ?
                    """,
                arguments: [run.stop?.rule, run.stop?.detail, run.stop?.at.timeIntervalSince1970, run.seconds, id])
        }
        let delete = try db.cachedStatement(sql: "DELETE FROM checkpoint WHERE experiment = ? AND id = ?")
        for checkpoint in deleted { try delete.execute(arguments: [id, checkpoint]) }
        return id
    }

    /// Inserts the experiment and its members as they started (the changes then bring the
    /// members up to date).
    private func insertExperiment(_ db: Database, texts: inout JSONTexts) throws -> Int64 {
        try db.execute(
            sql: "INSERT INTO experiment (name, population, configuration, created) VALUES (?, ?, ?, ?)",
            arguments: [record.name, record.population, record.configuration, record.createdAt.timeIntervalSince1970])
        let id = db.lastInsertedRowID
        let insert = try db.makeStatement(
            sql: """
                INSERT INTO member (experiment, slot, step, status, hyperparameters, initial_hyperparameters)
                VALUES (?, ?, 0, 'ready', ?, ?)
                """)
        for member in after.members {
            let text = try texts.text(
                member.initialHyperparameters, "experiment '\(record.name)': member \(member.slot)'s hyperparameters")
            try insert.execute(arguments: [id, member.slot, text, text])
        }
        return id
    }
}

/// The JSON texts of recently written values: a population shares few distinct hyperparameter
/// sets and mutations, and each is written many times (every score repeats its member's).
struct JSONTexts {
    private var texts: [AnyHashable: String] = [:]
    private static let limit = 4096

    /// The text of `value`, from the cache or encoded now.
    /// - Throws: `StoreError.invalid` naming `what` when a number is not finite.
    mutating func text<T: Encodable & Hashable>(_ value: T, _ what: @autoclosure () -> String) throws -> String {
        let key = AnyHashable(value)
        if let text = texts[key] { return text }
        let text = try StoreJSON.encode(value, what())
        if texts.count >= Self.limit { texts.removeAll(keepingCapacity: true) }
        texts[key] = text
        return text
    }
}
