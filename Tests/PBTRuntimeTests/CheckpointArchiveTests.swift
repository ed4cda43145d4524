import Foundation
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

    @Test func aFileRoundTrips() throws {
        defer { try? FileManager.default.removeItem(atPath: root) }
        try write("weights", "model.bin")
        let bytes = try CheckpointArchive.pack(root + "/model.bin")
        #expect(Array(bytes.prefix(9)) == CheckpointArchive.magic + [0x46])
        try CheckpointArchive.unpack(bytes, to: root + "/copy.bin")
        #expect(read("copy.bin") == "weights")
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
        #expect(FileManager.default.fileExists(atPath: root + "/copy/nothing", isDirectory: &isFolder) && isFolder.boolValue)
        #expect(try CheckpointArchive.pack(root + "/copy") == bytes)
    }

    @Test func nothingWrittenAndLinksAreRefused() throws {
        defer { try? FileManager.default.removeItem(atPath: root) }
        #expect(throws: CheckpointArchive.Failure.self) { try CheckpointArchive.pack(root + "/missing") }
        try write("x", "ckpt/real.txt")
        try FileManager.default.createSymbolicLink(atPath: root + "/ckpt/link", withDestinationPath: root + "/ckpt/real.txt")
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
        let escape = CheckpointArchive.magic + [0x44, 0x66, 5, 0, 0, 0] + Array("../x1".utf8) + [1, 0, 0, 0, 0, 0, 0, 0, 65]
        for bytes in [[1, 2, 3], CheckpointArchive.magic + [0x51], escape, CheckpointArchive.magic + [0x44, 0x66, 9, 0]] {
            #expect(throws: CheckpointArchive.Failure.self) { try CheckpointArchive.unpack(bytes, to: root + "/out-\(bytes.count)") }
        }
        #expect(!FileManager.default.fileExists(atPath: root + "/x1"))
    }
}
