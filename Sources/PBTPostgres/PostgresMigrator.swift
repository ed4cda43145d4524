import Foundation
import PBTStore
import PostgresNIO

/// Applies `PostgresSchema.migrations` that a database lacks, under an advisory lock so that
/// workers starting together do not race, and refuses databases from a newer swift-pbt.
struct PostgresMigrator {
    let location: PostgresLocation
    let logger: Logger
    /// The migrations to apply: all of them, or the first few (tests of upgrades).
    var migrations = PostgresSchema.migrations

    /// The first key of the advisory lock that serialises a schema's migrations ("pbt" in
    /// ASCII); the second is a hash of the schema's name, so that schemas migrate in parallel.
    static let lockKey = 0x70_6274

    /// Brings the schema up to date.
    /// - Throws: `StoreError.unavailable` when the database was written by a newer swift-pbt.
    func migrate(_ connection: PostgresConnection) async throws {
        try await connection.query("BEGIN", logger: logger)
        do {
            try await connection.query(
                "SELECT pg_advisory_xact_lock(\(Self.lockKey)::int, hashtext(\(location.schema)))", logger: logger)
            if location.schema != "public" {
                // The name is a checked identifier (`PostgresLocation.isIdentifier`).
                try await connection.query(
                    PostgresQuery(unsafeSQL: "CREATE SCHEMA IF NOT EXISTS \"\(location.schema)\""), logger: logger)
            }
            try await connection.query(
                "CREATE TABLE IF NOT EXISTS pbt_migration (id TEXT PRIMARY KEY, applied DOUBLE PRECISION NOT NULL)",
                logger: logger)
            var applied = Set<String>()
            for try await id in try await connection.query("SELECT id FROM pbt_migration", logger: logger).decode(
                String.self)
            {
                applied.insert(id)
            }
            let known = Set(PostgresSchema.migrations.map(\.id))
            let unknown = applied.subtracting(known).sorted()
            guard unknown.isEmpty else {
                throw StoreError(
                    .unavailable,
                    "PostgreSQL store '\(location)' was written by a newer swift-pbt (unknown schema version "
                        + "\(unknown.joined(separator: ", "))); upgrade pbt to open it")
            }
            for migration in migrations where !applied.contains(migration.id) {
                for statement in migration.statements {
                    try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                }
                try await connection.query(
                    """
                    INSERT INTO pbt_migration (id, applied) VALUES (\(migration.id), extract(epoch FROM now())::float8)
                    """,
                    logger: logger)
            }
            try await connection.query("COMMIT", logger: logger)
        } catch {
            _ = try? await connection.query("ROLLBACK", logger: logger)
            throw error
        }
    }
}
