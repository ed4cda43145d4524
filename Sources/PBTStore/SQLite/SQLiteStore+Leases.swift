import Foundation
import GRDB

extension SQLiteStore {
    public func claim(experiment: String, worker: String, lease: Duration) async throws -> ClaimOutcome {
        let time = now()
        let expiry = time.adding(lease).timeIntervalSince1970
        return try await write { db in
            let experiment = try SQLiteExperiment(db, named: experiment)
            let free = try db.cachedStatement(
                sql: """
                    SELECT slot FROM member
                    WHERE experiment = ? AND status = 'ready' AND (lease_expiry IS NULL OR lease_expiry <= ?)
                    ORDER BY step, COALESCE(checkpoint, 0), slot LIMIT 1
                    """)
            guard let slot = try Int.fetchOne(free, arguments: [experiment.id, time.timeIntervalSince1970]) else {
                let unfinished = try db.cachedStatement(
                    sql: "SELECT EXISTS (SELECT 1 FROM member WHERE experiment = ? AND status IN ('ready', 'waiting'))")
                return try Bool.fetchOne(unfinished, arguments: [experiment.id]) == true ? .busy : .finished
            }
            try Self.setLease(db, experiment, slot: slot, worker: worker, expiry: expiry)
            return .claimed(try experiment.member(db, slot: slot))
        }
    }

    public func renew(experiment: String, member: Int, worker: String, lease: Duration) async throws {
        let expiry = now().adding(lease).timeIntervalSince1970
        try await write { db in
            let experiment = try SQLiteExperiment(db, named: experiment)
            try experiment.checkLease(db, member: member, worker: worker)
            try Self.setLease(db, experiment, slot: member, worker: worker, expiry: expiry)
        }
    }

    public func release(experiment: String, member: Int, worker: String) async throws {
        try await write { db in
            let experiment = try SQLiteExperiment(db, named: experiment)
            try experiment.checkLease(db, member: member, worker: worker)
            try Self.setLease(db, experiment, slot: member, worker: nil, expiry: nil)
        }
    }

    public func fail(experiment: String, member: Int, worker: String, failures: Int) async throws {
        try await write { db in
            let experiment = try SQLiteExperiment(db, named: experiment)
            try experiment.checkLease(db, member: member, worker: worker)
            try db.execute(
                sql: """
                    UPDATE member SET status = 'failed', failures = ?, lease_worker = NULL, lease_expiry = NULL
                    WHERE experiment = ? AND slot = ?
                    """,
                arguments: [failures, experiment.id, member])
        }
    }

    public func recordFailure(experiment: String, member: Int, worker: String, maxFailures: Int) async throws -> MemberRecord {
        try await write { db in
            let experiment = try SQLiteExperiment(db, named: experiment)
            try experiment.checkLease(db, member: member, worker: worker)
            try db.execute(
                sql: """
                    UPDATE member SET failures = failures + 1, lease_worker = NULL, lease_expiry = NULL,
                        status = CASE WHEN failures + 1 > ? THEN 'failed' ELSE status END
                    WHERE experiment = ? AND slot = ?
                    """,
                arguments: [maxFailures, experiment.id, member])
            return try experiment.member(db, slot: member)
        }
    }

    /// Sets or clears (`worker` nil) the lease on `slot`.
    static func setLease(_ db: Database, _ experiment: SQLiteExperiment, slot: Int, worker: String?, expiry: Double?) throws {
        let statement = try db.cachedStatement(
            sql: "UPDATE member SET lease_worker = ?, lease_expiry = ? WHERE experiment = ? AND slot = ?")
        try statement.execute(arguments: [worker, expiry, experiment.id, slot])
    }
}
