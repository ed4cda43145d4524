import Foundation
import PBTTestSupport
import Testing

@testable import PBTStore

/// Copying a range of one open file to another: in the kernel between regular files, through a
/// buffer otherwise; the pieces reported cover the bytes copied, in order.
@Suite("File range copy")
struct FileRangeCopyTests {
    /// `count` seeded pseudo-random bytes.
    static func bytes(_ count: Int, seed: UInt64 = 1) -> [UInt8] {
        var state = seed
        return (0..<count).map { _ in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return UInt8(truncatingIfNeeded: state >> 33)
        }
    }

    /// Copies from `source` to a new file after skipping `skip` bytes, with `limit`; returns
    /// the bytes copied, the file's contents and the reported pieces.
    private func copy(
        from source: Int32, skip: Int, limit: UInt64?, in folder: String
    ) throws -> (UInt64, [UInt8], [(Int, Int)]) {
        var skipped = [UInt8](repeating: 0, count: skip)
        #expect(read(source, &skipped, skip) == skip)
        let path = folder + "/out-\(UUID().uuidString)"
        let destination = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        defer { close(destination) }
        var pieces: [(Int, Int)] = []
        let copied = try FileRangeCopy.copy(from: source, to: destination, limit: limit) { pieces.append(($0, $1)) }
        return (copied, Array(FileManager.default.contents(atPath: path) ?? Data()), pieces)
    }

    @Test func aFileIsCopiedFromItsPositionUpToTheLimitInOrderedPieces() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let folder = directory.path
        let content = Self.bytes(2 * FileRangeCopy.piece + 12_345)
        try Data(content).write(to: URL(fileURLWithPath: folder + "/in"))
        for limit in [nil, UInt64(FileRangeCopy.piece + 7), UInt64(3)] as [UInt64?] {
            let source = open(folder + "/in", O_RDONLY | O_CLOEXEC)
            defer { close(source) }
            let (copied, written, pieces) = try copy(from: source, skip: 9, limit: limit, in: folder)
            let expected = Array(content[9..<(9 + Int(min(limit ?? .max, UInt64(content.count - 9))))])
            #expect(copied == UInt64(expected.count) && written == expected)
            #expect(pieces.map(\.0) == pieces.indices.map { index in pieces[..<index].reduce(0) { $0 + $1.1 } })
            #expect(pieces.reduce(0) { $0 + $1.1 } == expected.count)
            #expect(lseek(source, 0, SEEK_CUR) == off_t(9 + expected.count), "the source's position advanced")
        }
    }

    @Test func aPipeIsCopiedThroughTheBuffer() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let folder = directory.path
        let content = Self.bytes(40_000, seed: 2)
        var ends: [Int32] = [0, 0]
        #expect(pipe(&ends) == 0)
        #expect(content.withUnsafeBytes { write(ends[1], $0.baseAddress, $0.count) } == content.count)
        close(ends[1])
        defer { close(ends[0]) }
        let (copied, written, pieces) = try copy(from: ends[0], skip: 0, limit: nil, in: folder)
        #expect(copied == UInt64(content.count) && written == content)
        #expect(pieces.count == 1 && pieces.first?.0 == 0 && pieces.first?.1 == content.count)
    }

    @Test func aDestinationThatRefusesWritesIsNamedAsTheFailingSide() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let folder = directory.path
        try Data(Self.bytes(1000)).write(to: URL(fileURLWithPath: folder + "/in"))
        let source = open(folder + "/in", O_RDONLY | O_CLOEXEC)
        defer { close(source) }
        let readOnly = open(folder + "/in", O_RDONLY | O_CLOEXEC)
        defer { close(readOnly) }
        #expect {
            try FileRangeCopy.copy(from: source, to: readOnly, limit: nil) { _, _ in }
        } throws: { error in
            if case FileRangeCopy.Failure.write = error { return true }
            return false
        }
    }
}
