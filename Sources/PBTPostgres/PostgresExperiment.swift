import Foundation
import PBT
import PBTStore
import PostgresNIO

/// An experiment row's key facts. Experiments are never deleted, so a store caches them.
struct PostgresExperiment: Sendable {
    let id: Int
    let name: String
    let population: Int

    /// Throws `memberOutOfRange` unless `member` is a slot of this experiment.
    func checkSlot(_ member: Int) throws {
        guard (0..<population).contains(member) else {
            throw StoreError(
                .memberOutOfRange, "experiment '\(name)': member \(member) is out of range 0..<\(population)")
        }
    }

    /// The `leaseLost` error for `worker` and `member`.
    func leaseLost(_ member: Int, worker: String) -> StoreError {
        StoreError(.leaseLost, "experiment '\(name)': worker '\(worker)' no longer holds member \(member)")
    }

    /// The columns `member(_:)` reads.
    static let memberColumns =
        """
        slot, step, status, hyperparameters, initial_hyperparameters, checkpoint, score, lease_worker, lease_expiry, \
        failures
        """

    /// A member from a row with the `memberColumns`, read by name.
    func member(_ row: PostgresRow) throws -> MemberRecord {
        let column = NamedColumns(row, context: "experiment '\(name)': a member row")
        let slot = try column("slot", as: Int.self), statusText = try column("status", as: String.self)
        let checkpoint = try column("checkpoint", as: Int?.self), score = try column("score", as: Double?.self)
        let worker = try column("lease_worker", as: String?.self), expiry = try column("lease_expiry", as: Double?.self)
        let hyperparameters = try column("hyperparameters", as: String.self)
        let initial = try column("initial_hyperparameters", as: String.self)
        guard let status = MemberStatus(rawValue: statusText) else {
            throw StoreError(.invalid, "experiment '\(name)': member \(slot) has unknown status '\(statusText)'")
        }
        return MemberRecord(
            slot: slot, step: try column("step"), status: status,
            hyperparameters: try StoreJSON.hyperparameters(
                hyperparameters, "experiment '\(name)': member \(slot)'s hyperparameters"),
            initialHyperparameters: try StoreJSON.hyperparameters(
                initial, "experiment '\(name)': member \(slot)'s initial hyperparameters"),
            checkpoint: checkpoint.map(Int64.init), score: score,
            lease: worker.flatMap { worker in
                expiry.map { Lease(worker: worker, expiresAt: Date(timeIntervalSince1970: $0)) }
            },
            failures: try column("failures"))
    }

    /// Every member, by slot.
    func members(_ connection: PostgresConnection, _ logger: Logger) async throws -> [MemberRecord] {
        let rows = try await connection.query(
            "SELECT \(unescaped: Self.memberColumns) FROM member WHERE experiment = \(id) ORDER BY slot", logger: logger
        ).collect()
        return try rows.map(member)
    }
}

extension PostgresStore {
    /// The experiment named `name`, from the cache or the server.
    /// - Throws: `StoreError.experimentNotFound`.
    func experiment(_ name: String, _ connection: PostgresConnection) async throws -> PostgresExperiment {
        if let known = cache.withLock({ $0[name] }) { return known }
        let rows = try await connection.query(
            "SELECT id, population FROM experiment WHERE name = \(name)", logger: logger
        ).collect()
        guard let row = rows.first else { throw Self.notFound(name) }
        let (id, population) = try row.decode((Int, Int).self)
        let experiment = PostgresExperiment(id: id, name: name, population: population)
        cache.withLock { $0[name] = experiment }
        return experiment
    }

    /// `experimentNotFound` for `name`.
    static func notFound(_ name: String) -> StoreError {
        StoreError(.experimentNotFound, "no experiment named '\(name)' in the store")
    }

    /// SQL for "now" in seconds since 1970: the bound clock value, else the server's
    /// statement time.
    static let serverNow = "extract(epoch FROM statement_timestamp())::float8"
}
