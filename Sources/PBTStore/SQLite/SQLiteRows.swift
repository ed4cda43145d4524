import Foundation
import GRDB
import PBT

/// An experiment row's key facts, looked up at the start of each transaction.
struct SQLiteExperiment {
    let id: Int64
    let name: String
    let population: Int

    /// The experiment named `name`.
    /// - Throws: `StoreError.experimentNotFound`.
    init(_ db: Database, named name: String) throws {
        let statement = try db.cachedStatement(sql: "SELECT id, population FROM experiment WHERE name = ?")
        guard let row = try Row.fetchOne(statement, arguments: [name]) else {
            throw StoreError(.experimentNotFound, "no experiment named '\(name)' in the store")
        }
        id = row[0]
        self.name = name
        population = row[1]
    }

    /// Throws `memberOutOfRange` unless `member` is a slot of this experiment.
    func checkSlot(_ member: Int) throws {
        guard (0..<population).contains(member) else {
            throw StoreError(
                .memberOutOfRange, "experiment '\(name)': member \(member) is out of range 0..<\(population)")
        }
    }

    /// Throws `memberOutOfRange` or `leaseLost` unless `worker` holds `member`.
    func checkLease(_ db: Database, member: Int, worker: String) throws {
        try checkSlot(member)
        let statement = try db.cachedStatement(sql: "SELECT lease_worker FROM member WHERE experiment = ? AND slot = ?")
        let holder = try String?.fetchOne(statement, arguments: [id, member]) ?? nil
        guard holder == worker else {
            throw StoreError(.leaseLost, "experiment '\(name)': worker '\(worker)' no longer holds member \(member)")
        }
    }

    /// The columns `member(_:)` reads, in order.
    static let memberColumns =
        "slot, step, status, hyperparameters, initial_hyperparameters, checkpoint, score, lease_worker, lease_expiry, failures"

    /// Every member, by slot.
    func members(_ db: Database) throws -> [MemberRecord] {
        let statement = try db.cachedStatement(
            sql: "SELECT \(Self.memberColumns) FROM member WHERE experiment = ? ORDER BY slot")
        return try Row.fetchAll(statement, arguments: [id]).map(member)
    }

    /// The member in `slot`.
    func member(_ db: Database, slot: Int) throws -> MemberRecord {
        try checkSlot(slot)
        let statement = try db.cachedStatement(
            sql: "SELECT \(Self.memberColumns) FROM member WHERE experiment = ? AND slot = ?")
        guard let row = try Row.fetchOne(statement, arguments: [id, slot]) else {
            throw StoreError(.invalid, "experiment '\(name)': member \(slot) is missing from the store")
        }
        return try member(row)
    }

    /// A member row, read with `memberColumns`.
    func member(_ row: Row) throws -> MemberRecord {
        let slot: Int = row[0]
        let statusText: String = row[2]
        guard let status = MemberStatus(rawValue: statusText) else {
            throw StoreError(.invalid, "experiment '\(name)': member \(slot) has unknown status '\(statusText)'")
        }
        let worker: String? = row[7]
        let expiry: Double? = row[8]
        return MemberRecord(
            slot: slot, step: row[1], status: status,
            hyperparameters: try StoreJSON.hyperparameters(row[3], "experiment '\(name)': member \(slot)'s hyperparameters"),
            initialHyperparameters: try StoreJSON.hyperparameters(
                row[4], "experiment '\(name)': member \(slot)'s initial hyperparameters"),
            checkpoint: row[5], score: row[6],
            lease: worker.flatMap { worker in expiry.map { Lease(worker: worker, expiresAt: Date(timeIntervalSince1970: $0)) } },
            failures: row[9])
    }
}
