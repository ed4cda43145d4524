import Foundation
import PBTStore
import PBTTestSupport
import PostgresNIO
import Testing

@testable import PBTPostgres

/// The PostgreSQL server the tests may use: `PBT_TEST_POSTGRES_URL` (`.ci/run` starts one).
enum PostgresTestServer {
    /// The server's URL, or nil (then the PostgreSQL cases are skipped, with a note printed once).
    static let url: String? = {
        if let url = ProcessInfo.processInfo.environment["PBT_TEST_POSTGRES_URL"], !url.isEmpty { return url }
        print(
            """
            note: PBT_TEST_POSTGRES_URL is not set; the PostgreSQL store conformance cases are skipped \
            (.ci/run sets it)
            """
        )
        return nil
    }()

    /// `url` with `parameter` added to its query.
    static func url(adding parameter: String) -> String? {
        url.map { $0 + ($0.contains("?") ? "&" : "?") + parameter }
    }
}

extension StoreFixture {
    /// Runs `body` on a PostgreSQL store in a fresh schema of the test server, then drops the
    /// schema (and the checkpoint directory).
    static func withPostgres(
        files: Bool, keep: Int, clock: TestClock, _ body: (StoreFixture) async throws -> Void
    ) async throws {
        let schema = "t_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        let directory = files ? try TemporaryDirectory() : nil
        defer { directory?.remove() }
        var parameters = "schema=\(schema)"
        if let directory { parameters += "&checkpoints=file://\(directory.path)" }
        let url = try #require(PostgresTestServer.url(adding: parameters))
        let store = PostgresStore(try PostgresLocation(url: url), keep: keep, connections: 2, now: { clock.now })
        defer { store.close() }
        do {
            try await body(
                StoreFixture(store: store, clock: clock, path: nil) { _, id in
                    try await store.corruptForTests(checkpoint: id)
                })
        } catch {
            try? await store.dropSchemaForTests()
            throw error
        }
        try await store.dropSchemaForTests()
    }
}

extension PostgresStore {
    /// Flips one bit of checkpoint `id`'s bytes (in the row or its file), leaving its SHA-256.
    func corruptForTests(checkpoint id: Int64) async throws {
        let logger = self.logger
        let (sha256, inFile) = try await withConnection { connection in
            let rows = try await connection.query(
                "SELECT sha256, in_file FROM checkpoint WHERE id = \(Int(id))", logger: logger
            ).collect()
            guard let row = rows.first else { throw StoreError(.checkpointMissing, "no checkpoint \(id) to corrupt") }
            return try row.decode((String, Bool).self)
        }
        if inFile, let files {
            var bytes = try #require(FileManager.default.contents(atPath: files.file(sha256)))
            bytes[0] ^= 0x01
            try bytes.write(to: URL(fileURLWithPath: files.file(sha256)))
        } else {
            try await withConnection { connection in
                _ = try await connection.query(
                    "UPDATE checkpoint SET bytes = set_byte(bytes, 0, get_byte(bytes, 0) # 1) WHERE id = \(Int(id))",
                    logger: logger)
            }
        }
    }

    /// Drops the store's schema and everything in it.
    func dropSchemaForTests() async throws {
        try await dropSchema(location.schema)
    }
}
