import Foundation
import PBTStore
import PostgresNIO

extension PostgresStore {
    /// Drops schema `name` and everything in it (a test's or benchmark's scratch schema).
    /// - Throws: `StoreError.invalid` unless `name` is a plain lowercase identifier other than
    ///   `public`.
    public func dropSchema(_ name: String) async throws {
        guard PostgresLocation.isIdentifier(name), name != "public" else {
            throw StoreError(
                .invalid, "schema '\(name)' cannot be dropped: not a plain lowercase identifier, or public")
        }
        let logger = self.logger
        try await withConnection { connection in
            // The name is a checked identifier.
            _ = try await connection.query(
                PostgresQuery(unsafeSQL: "DROP SCHEMA IF EXISTS \"\(name)\" CASCADE"), logger: logger)
        }
    }
}
