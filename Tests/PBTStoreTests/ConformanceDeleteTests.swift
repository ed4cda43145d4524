import Foundation
import GRDB
import PBT
import PBTTestSupport
import Testing

@testable import PBTSQLite
@testable import PBTStore

/// Deleting an experiment, and listing the checkpoints a store keeps: the same from every store.
@Suite("Conformance: delete and stored checkpoints")
struct ConformanceDeleteTests {
    @Test(arguments: StoreKind.allCases)
    func storedCheckpointsListWhatTheStoreKeepsOldestFirst(kind: StoreKind) async throws {
        try await StoreFixture.with(kind) { fixture in
            let store = fixture.store
            try await store.makeExperiment(population: 1)
            var ids: [Int64] = []
            for step in [10, 20, 30] { ids.append(try await store.advance(step: step, score: Double(step)).checkpoint) }
            // The store keeps the last 2 of a member's own checkpoints.
            let listed = try await store.storedCheckpoints(of: "exp")
            #expect(
                listed == [
                    StoredCheckpoint(id: ids[1], member: 0, step: 20, size: 4096),
                    StoredCheckpoint(id: ids[2], member: 0, step: 30, size: 4096),
                ])
            await expectStoreError(.experimentNotFound) { _ = try await store.storedCheckpoints(of: "ghost") }
        }
    }

    @Test(arguments: StoreKind.allCases)
    func deleteRemovesEverythingOfTheExperimentAndFreesItsName(kind: StoreKind) async throws {
        try await StoreFixture.with(kind) { fixture in
            let store = fixture.store
            try await store.makeExperiment("other", population: 1)
            let kept = try await store.advance("other", step: 5, score: 1).checkpoint
            _ = try await ConformanceLargeCheckpointTests.twoCheckpoints(store)
            try await store.makeExperiment("exp", population: 1)  // a resume: it is there
            try await store.flush()

            try await store.delete(experiment: "exp")
            #expect(try await store.experiments().map(\.name) == ["other"])
            #expect(try await store.experiment(named: "exp") == nil)
            await expectStoreError(.experimentNotFound) { _ = try await store.members(of: "exp") }
            await expectStoreError(.experimentNotFound) { _ = try await store.scores(of: "exp") }
            await expectStoreError(.experimentNotFound) { _ = try await store.storedCheckpoints(of: "exp") }
            let again = await expectStoreError(.experimentNotFound) { try await store.delete(experiment: "exp") }
            #expect(again?.message.contains("'exp'") == true)
            // The large checkpoints' files went with it (a store keeping files for every
            // checkpoint keeps the other experiment's); the other experiment is untouched.
            let large = [10, 20].map { ContentDigest.hex(ConformanceLargeCheckpointTests.state(member: 0, step: $0)) }
            #expect(Set(ConformanceLargeCheckpointTests.files(store)).isDisjoint(with: large))
            #expect(try await store.scores(of: "other").count == 1)
            #expect(try await store.checkpoint(of: "other", id: kept).step == 5)

            // The name is free: another configuration is a new experiment, from step 0.
            #expect(try await store.makeExperiment("exp", population: 2, configuration: #"{"seed":2}"#))
            #expect(try await store.members(of: "exp").map(\.step) == [0, 0])
            #expect(try await store.scores(of: "exp").isEmpty)
            #expect(try await store.events(of: "exp").isEmpty)
            try await store.advance(step: 4, score: 2)
            #expect(try await store.scores(of: "exp").map(\.step) == [4])
        }
    }

    @Test func aDeletedExperimentIsGoneFromTheSQLiteFile() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path + "/store.sqlite"
        do {
            let store = try SQLiteStore(path: path)
            try await store.makeExperiment("exp", population: 2)
            try await store.advance(step: 4, score: 1)
            try await store.makeExperiment("kept", population: 1)
            try store.close()
        }
        do {
            // Deleted without having been loaded into the population first.
            let store = try SQLiteStore(path: path)
            try await store.delete(experiment: "exp")
            try store.close()
        }
        let reader = try SQLiteStore(path: path, create: false)
        #expect(try await reader.experiments().map(\.name) == ["kept"])
        for table in ["member", "score", "checkpoint", "event", "fallback"] {
            let rows = try await reader.read { db in
                try Int.fetchOne(
                    db, sql: "SELECT count(*) FROM \(table) WHERE experiment NOT IN (SELECT id FROM experiment)")
            }
            #expect(rows == 0, "\(table)")
        }
    }
}
