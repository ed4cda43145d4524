import Testing

@testable import PBTStore

/// Parsing `--store` values, and never printing a password.
@Suite("Store locations")
struct StoreLocationTests {
    @Test(arguments: [
        ("sqlite:runs/demo.sqlite", StoreLocation.sqlite(path: "runs/demo.sqlite")),
        ("sqlite://runs/demo.sqlite", .sqlite(path: "runs/demo.sqlite")),
        ("sqlite:///tmp/demo.sqlite", .sqlite(path: "/tmp/demo.sqlite")),
        ("  SQLite:/abs/x.db ", .sqlite(path: "/abs/x.db")),
        ("memory:", .memory),
        ("memory://", .memory),
        ("postgres://pbt:secret@db.example:5432/pbt", .postgres(url: "postgres://pbt:secret@db.example:5432/pbt")),
        ("postgresql://db.example/pbt", .postgres(url: "postgresql://db.example/pbt")),
    ])
    func parses(text: String, expected: StoreLocation) throws {
        #expect(try StoreLocation.parse(text) == expected)
    }

    @Test func unknownSchemesListTheAllowedOnes() {
        #expect {
            try StoreLocation.parse("mysql://root:hunter2@localhost/pbt")
        } throws: { error in
            guard let error = error as? StoreError else { return false }
            return error.code == .unavailable && error.message.contains("'mysql'")
                && error.message.contains("sqlite:PATH") && error.message.contains("memory:")
                && error.message.contains("postgres://") && !error.message.contains("hunter2")
        }
    }

    @Test(arguments: ["runs/demo.sqlite", "sqlite:", "sqlite://", "memory:x", "postgres:db"])
    func malformedLocationsAreRefused(text: String) {
        #expect(throws: StoreError.self) { try StoreLocation.parse(text) }
    }

    @Test func descriptionsHidePasswords() throws {
        let location = try StoreLocation.parse("postgres://pbt:s3cr%40t@db.example:5432/pbt?sslmode=require")
        #expect(location.description == "postgres://pbt:***@db.example:5432/pbt?sslmode=require")
        #expect(String(reflecting: location) == location.description)
        #expect("\(location)".contains("s3cr") == false)
        #expect(
            StoreLocation.hidingPassword("postgres://db.example/pbt?user=pbt&password=topsecret&sslmode=require")
                == "postgres://db.example/pbt?user=pbt&password=***&sslmode=require")
        #expect(StoreLocation.hidingPassword("postgres://pbt@db.example/pbt") == "postgres://pbt@db.example/pbt")
        #expect(StoreLocation.sqlite(path: "runs/a.sqlite").description == "sqlite:runs/a.sqlite")
        #expect(StoreLocation.memory.description == "memory:")
    }

    @Test func theDefaultPathIsUnderRuns() {
        #expect(StoreLocation.defaultPath(for: "cartpole") == "runs/cartpole.sqlite")
    }
}
