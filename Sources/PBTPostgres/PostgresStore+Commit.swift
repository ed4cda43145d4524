import Foundation
import PBT
import PBTStore
import PostgresNIO

extension PostgresStore {
    /// One transaction around the worker's decision: `pbt_commit_record` locks the member,
    /// checks the lease, records the point, closes the claim, then locks the experiment
    /// (serialising its commits) and reads the population; `pbt_commit_apply` applies the
    /// decision, releases the lease and drops checkpoints nobody needs (see `PostgresSchema`,
    /// migration v2).
    public func commit(
        _ point: ReadyPoint, scoreWindow: Int,
        decide: @escaping @Sendable (PopulationState) throws -> [MemberUpdate]
    ) async throws -> CommitResult {
        guard !point.score.isNaN else {
            throw StoreError.nanScore(experiment: point.experiment, member: point.member, step: point.step)
        }
        // Hash, encode and write any checkpoint file before the transaction.
        let digest = SHA256.hex(point.checkpoint)
        let hyperparameters = try StoreJSON.encode(
            point.hyperparameters, "experiment '\(point.experiment)': member \(point.member)'s hyperparameters")
        let bytes: Data? = files == nil ? Data(point.checkpoint) : nil
        try files?.write(point.checkpoint, sha256: digest, location: location)
        let (logger, clock, keep, window) = (self.logger, self.clock, self.keep, max(1, scoreWindow))
        let (result, removed) = try await transaction { connection in
            let experiment = try await self.experiment(point.experiment, connection)
            try experiment.checkSlot(point.member)
            let rows = try await Self.functionErrors(experiment, point) {
                try await connection.query(
                    """
                    SELECT * FROM pbt_commit_record(\(experiment.id), \(point.member), \(point.worker), \(clock)::float8,
                        \(point.step), \(point.score), \(hyperparameters), \(digest), \(point.checkpoint.count),
                        \(bytes)::bytea, \(window))
                    """, logger: logger
                ).collect()
            }
            var members: [MemberRecord] = [], recent: [[Double]] = []
            var recorded: Int?
            for row in rows {
                members.append(try experiment.member(row))
                let columns = try row.decode(
                    (Int, Int, String, String, String, Int?, Double?, String?, Double?, Int, [Double], Int).self)
                recent.append(columns.10)
                recorded = columns.11
            }
            guard let recorded, members.count == experiment.population else {
                throw StoreError(.invalid, "experiment '\(experiment.name)': members are missing from the store")
            }
            let updates = try decide(PopulationState(members: members, recentScores: recent))
            let decision = try Decision(updates, experiment)
            let applied = try await Self.functionErrors(experiment, point) {
                try await connection.query(
                    """
                    SELECT * FROM pbt_commit_apply(\(experiment.id), \(point.member), \(keep), \(decision.slots), \(decision.steps), \(decision.statuses), \(decision.hyperparameters),
                        \(decision.checkpoints), \(decision.eventMembers), \(decision.eventSteps), \(decision.eventDonors),
                        \(decision.eventDonorSteps), \(decision.eventBefore), \(decision.eventAfter), \(decision.eventMutations))
                    """, logger: logger
                ).collect()
            }
            guard let row = applied.first else { throw experiment.leaseLost(point.member, worker: point.worker) }
            let removed = try row.decode((Int, Int, String, String, String, Int?, Double?, String?, Double?, Int, [String]).self).10
            return (CommitResult(member: try experiment.member(row), checkpoint: Int64(recorded)), removed)
        }
        if let files, !removed.isEmpty {
            try? await removeUnreferenced(removed, files)
        }
        return result
    }

    /// Runs `call`, turning the commit functions' own errors into `StoreError`s: `PBT01` (the
    /// worker no longer holds the member) and `PBT02` (an update names a missing checkpoint).
    private static func functionErrors<T>(
        _ experiment: PostgresExperiment, _ point: ReadyPoint, _ call: () async throws -> T
    ) async throws -> T {
        do {
            return try await call()
        } catch let error as PSQLError where error.serverInfo?[.sqlState] == "PBT01" {
            throw experiment.leaseLost(point.member, worker: point.worker)
        } catch let error as PSQLError where error.serverInfo?[.sqlState] == "PBT02" {
            throw StoreError(
                .checkpointMissing, "experiment '\(experiment.name)': \(error.serverInfo?[.message] ?? "missing checkpoint")")
        }
    }
}

/// A decision's updates and events as columns, the form `pbt_commit_apply` takes them in.
private struct Decision {
    var slots: [Int] = [], steps: [Int] = [], statuses: [String] = [], hyperparameters: [String] = []
    /// Checkpoint ids, 0 for none.
    var checkpoints: [Int] = []
    var eventMembers: [Int] = [], eventSteps: [Int] = [], eventDonors: [Int] = [], eventDonorSteps: [Int] = []
    var eventBefore: [String] = [], eventAfter: [String] = [], eventMutations: [String] = []

    /// Checks that every update and event names a member of `experiment` and holds only finite
    /// numbers, and encodes them.
    init(_ updates: [MemberUpdate], _ experiment: PostgresExperiment) throws {
        for update in updates {
            guard (0..<experiment.population).contains(update.slot) else {
                throw StoreError(
                    .memberOutOfRange,
                    "experiment '\(experiment.name)': update for member \(update.slot) out of range 0..<\(experiment.population)")
            }
            slots.append(update.slot)
            steps.append(update.step)
            statuses.append(update.status.rawValue)
            hyperparameters.append(
                try StoreJSON.encode(update.hyperparameters, "experiment '\(experiment.name)': member \(update.slot)'s hyperparameters"))
            checkpoints.append(update.checkpoint.map(Int.init) ?? 0)
            guard let event = update.event else { continue }
            try experiment.checkSlot(event.member)
            try experiment.checkSlot(event.donor)
            let label = "experiment '\(experiment.name)': event of member \(event.member)"
            eventMembers.append(event.member)
            eventSteps.append(event.step)
            eventDonors.append(event.donor)
            eventDonorSteps.append(event.donorStep)
            eventBefore.append(try StoreJSON.encode(event.before, label))
            eventAfter.append(try StoreJSON.encode(event.after, label))
            eventMutations.append(try StoreJSON.encode(event.mutations, label))
        }
    }
}
