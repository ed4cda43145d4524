import Foundation
import PBT
import Testing

@testable import PBTStore

/// Checkpoints above `CheckpointPayload.fileThreshold` (40 MiB here): kept as files named by
/// their SHA-256, shared by a donor's copies, removed once unreferenced, and damaged files
/// reported like damaged bytes.
@Suite("Conformance: large checkpoints")
struct ConformanceLargeCheckpointTests {
    /// 40 MiB of `fill` with the member and step in the first bytes: distinct per state.
    static func state(member: Int, step: Int, fill: UInt8 = 7) -> [UInt8] {
        var bytes = [UInt8](repeating: fill, count: 40 << 20)
        bytes[0] = UInt8(member)
        bytes[1] = UInt8(step)
        return bytes
    }

    /// The checkpoint files (named by a SHA-256) in the store's directory.
    static func files(_ store: any PopulationStore) -> [String] {
        guard let directory = store.checkpointStaging else { return [] }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.filter { $0.utf8.count == 64 }.sorted()
    }

    /// Whether the store keeps large checkpoints as files (not PostgreSQL without a directory).
    static func keepsFiles(_ kind: StoreKind) -> Bool { kind != .postgres }

    /// Commits member `member`'s state at `step`, staged as a file as a worker does, with
    /// `decide`'s updates.
    @discardableResult
    static func commitStaged(
        _ store: any PopulationStore, member: Int, step: Int, bytes: [UInt8],
        decide: @escaping @Sendable (PopulationState) throws -> [MemberUpdate] = { _ in [] }
    ) async throws -> CommitResult {
        let claimed = try await store.claimMember()
        #expect(claimed.slot == member)
        let writer = try CheckpointFileWriter(directory: store.checkpointStaging ?? NSTemporaryDirectory())
        try bytes.withUnsafeBytes { try writer.write($0) }
        let file = try writer.finish()
        defer { unlink(file.path) }
        let point = ReadyPoint(
            experiment: "exp", member: member, worker: "w", step: step, score: Double(step),
            hyperparameters: claimed.hyperparameters, payload: .file(file))
        return try await store.commit(point, scoreWindow: 1, decide: decide)
    }

    /// A one-member experiment whose member committed large states at steps 10 and 20.
    static func twoCheckpoints(_ store: any PopulationStore) async throws -> (CommitResult, CommitResult) {
        try await store.makeExperiment(population: 1)
        let older = try await commitStaged(store, member: 0, step: 10, bytes: state(member: 0, step: 10))
        return (older, try await commitStaged(store, member: 0, step: 20, bytes: state(member: 0, step: 20)))
    }

    @Test(arguments: StoreKind.allCases)
    func aLargeCheckpointIsAFileReadBackIdenticalAndSharedByADonorsCopy(kind: StoreKind) async throws {
        try await StoreFixture.with(kind) { fixture in
            let store = fixture.store
            try await store.makeExperiment(population: 2)
            let state = Self.state(member: 0, step: 10)
            let first = try await Self.commitStaged(store, member: 0, step: 10, bytes: state)
            let stored = try await store.checkpoint(of: "exp", id: first.checkpoint)
            #expect(try stored.payload.bytes() == state)
            #expect(stored.payload.sha256 == ContentDigest.hex(state))
            if Self.keepsFiles(kind) {
                guard case .file(let file) = stored.payload else {
                    Issue.record("a 40 MiB checkpoint came back as bytes")
                    return
                }
                #expect(file.size == state.count && Self.files(store) == [ContentDigest.hex(state)])
            }
            // Member 1 copies member 0: it points at the same checkpoint, no bytes copied.
            try await store.advance(step: 10, score: 1) { population in
                [
                    MemberUpdate(
                        slot: 1, step: 10, status: .ready, hyperparameters: population.members[1].hyperparameters,
                        checkpoint: first.checkpoint)
                ]
            }
            #expect(try await store.members(of: "exp")[1].checkpoint == first.checkpoint)
            // The same state saved again (as bytes this time) shares the file. (PostgreSQL with
            // a directory keeps small checkpoints as files too: only the count matters.)
            let files = Self.files(store)
            #expect(try await store.claimMember().slot == 0)
            let again = try await store.commit(
                point(member: 0, step: 20, score: 2, bytes: state), scoreWindow: 1
            ) { _ in [] }
            #expect(again.checkpoint != first.checkpoint)
            #expect(try await store.checkpoint(of: "exp", id: again.checkpoint).payload.bytes() == state)
            #expect(Self.files(store) == files)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func retentionRemovesTheFilesNoCheckpointNames(kind: StoreKind) async throws {
        try await StoreFixture.with(kind, keep: 1) { fixture in
            let store = fixture.store
            try await store.makeExperiment(population: 1)
            var digests: [String] = []
            for step in [10, 20, 30] {
                let state = Self.state(member: 0, step: step)
                digests.append(ContentDigest.hex(state))
                try await Self.commitStaged(store, member: 0, step: step, bytes: state)
            }
            try await store.flush()
            guard Self.keepsFiles(kind) else { return }
            // keep 1: only the newest, which the member points to.
            #expect(Self.files(store) == [digests[2]])
            let staged = (try? FileManager.default.contentsOfDirectory(atPath: store.checkpointStaging!)) ?? []
            #expect(staged.allSatisfy { $0.utf8.count == 64 })
        }
    }

    @Test(arguments: StoreKind.allCases.filter { $0 != .postgres })
    func aMissingFileIsCorruptAndTheMemberFallsBack(kind: StoreKind) async throws {
        try await StoreFixture.with(kind) { fixture in
            let store = fixture.store
            let (older, newer) = try await Self.twoCheckpoints(store)
            try await store.flush()
            let file = try #require(store.checkpointStaging) + "/" + ContentDigest.hex(Self.state(member: 0, step: 20))
            try FileManager.default.removeItem(atPath: file)

            let error = await expectStoreError(.checkpointCorrupt) {
                _ = try await store.checkpoint(of: "exp", id: newer.checkpoint)
            }
            #expect(error?.message.contains("checkpoint \(newer.checkpoint)") == true)
            _ = try await store.claimMember()
            let moved = try await store.fallBack(
                experiment: "exp", member: 0, worker: "w", reason: error?.message ?? "")
            #expect(moved.checkpoint == older.checkpoint && moved.step == 10)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func aCorruptFileFailsWhenReadAndTheMemberFallsBackPastIt(kind: StoreKind) async throws {
        try await StoreFixture.with(kind) { fixture in
            let store = fixture.store
            let (older, newer) = try await Self.twoCheckpoints(store)
            try await fixture.corrupt(experiment: "exp", checkpoint: newer.checkpoint)

            // A file of the right size is handed out, and fails its SHA-256 as it is read.
            await expectStoreError(.checkpointCorrupt) {
                _ = try await store.checkpoint(of: "exp", id: newer.checkpoint).payload.bytes()
            }
            _ = try await store.claimMember()
            let moved = try await store.fallBack(experiment: "exp", member: 0, worker: "w", reason: "corrupt")
            #expect(moved.checkpoint == older.checkpoint && moved.step == 10)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func aNewCommitOfTheSameContentsMendsADamagedFile(kind: StoreKind) async throws {
        try await StoreFixture.with(kind) { fixture in
            let store = fixture.store
            let (_, newer) = try await Self.twoCheckpoints(store)
            try await fixture.corrupt(experiment: "exp", checkpoint: newer.checkpoint)
            // The member trains again to the same state: its file replaces the damaged one,
            // which would otherwise fail every checkpoint with these contents, forever.
            let again = try await Self.commitStaged(store, member: 0, step: 30, bytes: Self.state(member: 0, step: 20))
            #expect(
                try await store.checkpoint(of: "exp", id: again.checkpoint).payload.bytes()
                    == Self.state(member: 0, step: 20))
            if Self.keepsFiles(kind) {  // PostgreSQL here keeps each checkpoint in its own row
                #expect(
                    try await store.checkpoint(of: "exp", id: newer.checkpoint).payload.bytes()
                        == Self.state(member: 0, step: 20))
            }
        }
    }

    @Test(arguments: StoreKind.allCases.filter { $0 == .postgres })
    func postgresWithoutADirectoryRefusesAGibibyteNamingTheOption(kind: StoreKind) async throws {
        try await StoreFixture.with(kind) { fixture in
            let store = fixture.store
            try await store.makeExperiment(population: 1)
            let member = try await store.claimMember()
            // Refused from its size alone: the file is never opened.
            let huge = CheckpointFile(path: "/nonexistent", sha256: String(repeating: "0", count: 64), size: 1 << 30)
            let point = ReadyPoint(
                experiment: "exp", member: 0, worker: "w", step: 10, score: 1, hyperparameters: member.hyperparameters,
                payload: .file(huge))
            let error = await expectStoreError(.invalid) {
                _ = try await store.commit(point, scoreWindow: 1) { _ in [] }
            }
            #expect(error?.message.contains("checkpoints=file:///DIR") == true)
            #expect(try await store.members(of: "exp")[0].step == 0)
        }
    }
}
