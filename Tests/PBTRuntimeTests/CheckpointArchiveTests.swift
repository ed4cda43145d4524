import Foundation
import PBTStore
import Testing

@testable import PBTRuntime

/// Packing an external program's checkpoint file or folder into bytes and back.
@Suite("Checkpoint archive")
struct CheckpointArchiveTests {
    private let root = NSTemporaryDirectory() + "pbt-archive-tests-" + UUID().uuidString

    private func write(_ text: String, _ path: String) throws {
        let full = root + "/" + path
        try FileManager.default.createDirectory(
            atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(text.utf8).write(to: URL(fileURLWithPath: full))
    }

    private func read(_ path: String) -> String? {
        FileManager.default.contents(atPath: root + "/" + path).map { String(decoding: $0, as: UTF8.self) }
    }

    @Test("a file is its own checkpoint, unless it begins with the archive's magic; both round-trip")
    func aFileRoundTrips() throws {
        defer { try? FileManager.default.removeItem(atPath: root) }
        for (name, text) in [("model.bin", "weights"), ("short.bin", "PBT"), ("empty.bin", "")] {
            try write(text, name)
            let bytes = try CheckpointArchive.pack(root + "/" + name)
            #expect(bytes == Array(text.utf8))
            try CheckpointArchive.unpack(bytes, to: root + "/copy-" + name)
            #expect(read("copy-" + name) == text)
        }
        let magical = String(decoding: CheckpointArchive.magic, as: UTF8.self) + "weights"
        try write(magical, "magical.bin")
        let archived = try CheckpointArchive.pack(root + "/magical.bin")
        #expect(archived == CheckpointArchive.magic + [0x46] + Array(magical.utf8))
        try CheckpointArchive.unpack(archived, to: root + "/copy-magical.bin")
        #expect(read("copy-magical.bin") == magical)
        // Stores written before files were their own checkpoints hold every file archived.
        try CheckpointArchive.unpack(CheckpointArchive.magic + [0x46] + Array("old".utf8), to: root + "/old.bin")
        #expect(read("old.bin") == "old")
    }

    @Test func aFolderRoundTripsDeterministically() throws {
        defer { try? FileManager.default.removeItem(atPath: root) }
        try write("b", "ckpt/b.txt")
        try write("a", "ckpt/a/z.txt")
        try write("", "ckpt/empty.txt")
        try FileManager.default.createDirectory(atPath: root + "/ckpt/nothing", withIntermediateDirectories: true)
        let bytes = try CheckpointArchive.pack(root + "/ckpt")
        #expect(try CheckpointArchive.pack(root + "/ckpt") == bytes)
        try CheckpointArchive.unpack(bytes, to: root + "/copy")
        #expect(read("copy/b.txt") == "b" && read("copy/a/z.txt") == "a" && read("copy/empty.txt") == "")
        var isFolder: ObjCBool = false
        #expect(
            FileManager.default.fileExists(atPath: root + "/copy/nothing", isDirectory: &isFolder) && isFolder.boolValue
        )
        #expect(try CheckpointArchive.pack(root + "/copy") == bytes)
    }

    @Test func nothingWrittenAndLinksAreRefused() throws {
        defer { try? FileManager.default.removeItem(atPath: root) }
        #expect(throws: CheckpointArchive.Failure.self) { try CheckpointArchive.pack(root + "/missing") }
        try write("x", "ckpt/real.txt")
        try FileManager.default.createSymbolicLink(
            atPath: root + "/ckpt/link", withDestinationPath: root + "/ckpt/real.txt")
        #expect(throws: CheckpointArchive.Failure.self) { try CheckpointArchive.pack(root + "/ckpt") }
    }

    @Test func aSymlinkedSavePathIsArchivedAsWhatItPointsTo() throws {
        defer { try? FileManager.default.removeItem(atPath: root) }
        try write("w", "real/weights.bin")
        try write("o", "real/optimizer/state.bin")
        try write("f", "model.bin")
        let manager = FileManager.default
        try manager.createSymbolicLink(atPath: root + "/folder-link", withDestinationPath: root + "/real")
        try manager.createSymbolicLink(atPath: root + "/file-link", withDestinationPath: "model.bin")
        #expect(try CheckpointArchive.pack(root + "/folder-link") == CheckpointArchive.pack(root + "/real"))
        #expect(try CheckpointArchive.pack(root + "/file-link") == CheckpointArchive.pack(root + "/model.bin"))
        try manager.createSymbolicLink(atPath: root + "/dangling", withDestinationPath: root + "/nowhere")
        #expect(throws: CheckpointArchive.Failure.self) { try CheckpointArchive.pack(root + "/dangling") }
    }

    @Test func badArchivesAreRefused() throws {
        defer { try? FileManager.default.removeItem(atPath: root) }
        let escape =
            CheckpointArchive.magic + [0x44, 0x66, 5, 0, 0, 0] + Array("../x1".utf8) + [1, 0, 0, 0, 0, 0, 0, 0, 65]
        for bytes in [
            CheckpointArchive.magic, CheckpointArchive.magic + [0x51], escape,
            CheckpointArchive.magic + [0x44, 0x66, 9, 0],
        ] {
            #expect(throws: CheckpointArchive.Failure.self) {
                try CheckpointArchive.unpack(bytes, to: root + "/out-\(bytes.count)")
            }
        }
        #expect(!FileManager.default.fileExists(atPath: root + "/x1"))
    }
}

/// Large checkpoints through files: packed into a staging file and unpacked from a stored one
/// (the bytes copied in the kernel), hashed beside the copy, and damage detected.
@Suite("Checkpoint archive files")
struct CheckpointArchiveFileTests {
    private let root = NSTemporaryDirectory() + "pbt-archive-file-tests-" + UUID().uuidString

    /// 20 MiB of seeded bytes: several of the copy's pieces.
    private static let weights: [UInt8] = {
        var state: UInt64 = 7
        return (0..<(20 << 20)).map { _ in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return UInt8(truncatingIfNeeded: state >> 33)
        }
    }()

    @Test func aLargeFileAndFolderRoundTripThroughFilesWithTheirDigest() throws {
        let manager = FileManager.default
        defer { try? manager.removeItem(atPath: root) }
        try manager.createDirectory(atPath: root + "/saved/optimizer", withIntermediateDirectories: true)
        try Data(Self.weights).write(to: URL(fileURLWithPath: root + "/saved/weights.bin"))
        try Data("adam".utf8).write(to: URL(fileURLWithPath: root + "/saved/optimizer/state"))
        // The folder first: packing the file alone moves it.
        for saved in ["saved", "saved/weights.bin"] {
            let bytes = try CheckpointArchive.pack(root + "/" + saved)
            let file = try CheckpointArchive.pack(root + "/" + saved, intoFileIn: root + "/store")
            #expect(file.size == bytes.count && file.sha256 == ContentDigest.hex(bytes))
            #expect(manager.contents(atPath: file.path).map(Array.init) == bytes)
            let out = root + "/out-\(saved.count)"
            try CheckpointArchive.unpack(CheckpointReader(.file(file)), to: out)
            #expect(try CheckpointArchive.pack(out) == bytes)
        }
    }

    /// A program's single file is moved into the store, not copied: the stored file is the
    /// program's (same inode) and the save path is gone. A file another name still reaches
    /// (a hard link the program keeps) is copied, so that changing it later leaves the stored
    /// checkpoint as it was; so is a symbolic link's target.
    @Test func aProgramsFileIsMovedInUnlessAnotherNameReachesIt() throws {
        let manager = FileManager.default
        defer { try? manager.removeItem(atPath: root) }
        try manager.createDirectory(atPath: root, withIntermediateDirectories: true)
        let inode = { (path: String) -> UInt64? in
            var status = stat()
            return lstat(path, &status) == 0 ? UInt64(status.st_ino) : nil
        }
        try Data(Self.weights).write(to: URL(fileURLWithPath: root + "/save-1"))
        let saved = inode(root + "/save-1")
        let moved = try CheckpointArchive.pack(root + "/save-1", intoFileIn: root + "/store")
        #expect(inode(moved.path) == saved && !manager.fileExists(atPath: root + "/save-1"))
        #expect(moved.size == Self.weights.count && moved.sha256 == ContentDigest.hex(Self.weights))

        try Data(Self.weights).write(to: URL(fileURLWithPath: root + "/kept.bin"))
        #expect(link(root + "/kept.bin", root + "/save-2") == 0)
        try manager.createSymbolicLink(atPath: root + "/save-3", withDestinationPath: root + "/kept.bin")
        for path in ["/save-2", "/save-3"] {
            let copied = try CheckpointArchive.pack(root + path, intoFileIn: root + "/store")
            #expect(inode(copied.path) != inode(root + "/kept.bin") && manager.fileExists(atPath: root + "/kept.bin"))
            #expect(copied.sha256 == moved.sha256)
            try Data("changed".utf8).write(to: URL(fileURLWithPath: root + "/kept.bin"))
            #expect(manager.contents(atPath: copied.path).map(Array.init) == Self.weights)
            try Data(Self.weights).write(to: URL(fileURLWithPath: root + "/kept.bin"))
        }
    }

    /// The format is told from the first bytes, peeked at without reading them: files shorter
    /// than the magic, empty ones and stored archives unpack from the store, and a file's
    /// bytes are verified from its first.
    @Test func storedFilesOfEveryLengthUnpack() throws {
        let manager = FileManager.default
        defer { try? manager.removeItem(atPath: root) }
        try manager.createDirectory(atPath: root, withIntermediateDirectories: true)
        let magical = CheckpointArchive.magic + Array("weights".utf8)
        for (name, bytes) in [
            ("empty", []), ("short", Array("PBT".utf8)), ("nine", Array("123456789".utf8)), ("magical", magical),
        ] {
            try Data(bytes).write(to: URL(fileURLWithPath: root + "/" + name))
            let file = try CheckpointArchive.pack(root + "/" + name, intoFileIn: root + "/store")
            let reader = try CheckpointReader(.file(file))
            #expect(try reader.peek(9) == Array((manager.contents(atPath: file.path).map(Array.init) ?? []).prefix(9)))
            try CheckpointArchive.unpack(reader, to: root + "/out-" + name)
            #expect(manager.contents(atPath: root + "/out-" + name).map(Array.init) == bytes)
        }
    }

    @Test func aDamagedStoredFileIsReportedCorruptAfterUnpacking() throws {
        let manager = FileManager.default
        defer { try? manager.removeItem(atPath: root) }
        try manager.createDirectory(atPath: root, withIntermediateDirectories: true)
        try Data(Self.weights).write(to: URL(fileURLWithPath: root + "/weights.bin"))
        let file = try CheckpointArchive.pack(root + "/weights.bin", intoFileIn: root + "/store")
        let descriptor = open(file.path, O_WRONLY | O_CLOEXEC)
        var flipped: UInt8 = 0xFF
        #expect(pwrite(descriptor, &flipped, 1, off_t(15 << 20)) == 1)
        close(descriptor)
        #expect {
            try CheckpointArchive.unpack(CheckpointReader(.file(file)), to: root + "/out")
        } throws: { error in
            (error as? StoreError)?.code == .checkpointCorrupt
        }
    }
}
