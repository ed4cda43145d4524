import Foundation
import PBTPostgres
import PBTStore
import Testing

/// Reading store URLs, and keeping their passwords out of every message.
@Suite("PostgreSQL: store URLs")
struct PostgresLocationTests {
    @Test func readsEveryPartOfTheURL() throws {
        let location = try PostgresLocation(
            url: "postgres://alice:s%40cret@db.example:6543/pbt?schema=team_a&sslmode=require"
                + "&checkpoints=file:///mnt/ckpt",
            environment: [:])
        #expect(location.host == "db.example" && location.port == 6543)
        #expect(location.user == "alice" && location.password == "s@cret")
        #expect(location.database == "pbt" && location.schema == "team_a")
        #expect(location.tls == .require && location.checkpointDirectory == "/mnt/ckpt")
        #expect(!location.description.contains("cret"))
        #expect(location.description.contains("alice:***@db.example"))
    }

    @Test func fillsDefaultsFromTheEnvironment() throws {
        let location = try PostgresLocation(url: "postgresql://db", environment: ["PGUSER": "bob", "PGPASSWORD": "pw"])
        #expect(location.port == 5432 && location.user == "bob" && location.password == "pw")
        #expect(location.database == "bob" && location.schema == "public" && location.tls == .prefer)
        #expect(location.checkpointDirectory == nil)
    }

    @Test(arguments: [
        ("postgres://u:topsecret@h/db?schema=Bad-Name", "schema"),
        ("postgres://u:topsecret@h/db?sslmode=always", "sslmode"),
        ("postgres://u:topsecret@h/db?checkpoints=/relative", "checkpoints"),
        ("postgres://u:topsecret@h/db?colour=blue", "colour"),
        ("postgres://u:topsecret@h:99999/db", "port"),
    ])
    func refusesBadURLsNamingThePartWithoutThePassword(url: String, part: String) {
        #expect {
            _ = try PostgresLocation(url: url, environment: [:])
        } throws: { error in
            let message = (error as? StoreError)?.message ?? ""
            return message.contains(part) && !message.contains("topsecret") && message.contains("u:***@h")
        }
    }

    @Test func anUnreachableServerIsReportedWithoutThePassword() async throws {
        // Nothing listens on port 1.
        let store = PostgresStore(try PostgresLocation(url: "postgres://pbt:topsecret@127.0.0.1:1/pbt?sslmode=disable"))
        defer { store.close() }
        do {
            _ = try await store.experiments()
            Issue.record("expected an error")
        } catch let error as StoreError {
            #expect(error.code == .unreachable || error.code == .unavailable, "\(error)")
            #expect(!error.message.contains("topsecret"))
            #expect(error.message.contains("pbt:***@127.0.0.1:1"))
        }
    }
}
