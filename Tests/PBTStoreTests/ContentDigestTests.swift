import Foundation
import Testing

@testable import PBTStore

/// The content digest against `scripts/content_digest.py --vectors` (Python's `hashlib`), computed
/// every way a store computes it: at once, by the two-thread hasher from bytes and from file
/// ranges cut off the chunk boundaries, and by adopting a file.
@Suite("Content digest")
struct ContentDigestTests {
    /// `(length, digest)` of the bytes `(i * 31 + 7) mod 256`: around one chunk, two, and five.
    static let vectors: [(Int, String)] = [
        (0, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        (1, "ca358758f6d27e6cf45272937977a748fd88391db679ceda7dc7bf1f005ee879"),
        (8_388_607, "af2627aac8b88dd0486c1b0aabcb74dd4a26e9b54ce511bfea448f222e9312ac"),
        (8_388_608, "0ff4d6c068be24637e84ea9f481c3c29f7afcdef1e06e1f40a68e5de85dcbb5b"),
        (8_388_609, "a84e61560318483598062e983f7dd99eb69d3d3d135d809dbd695f2a786062e4"),
        (16_777_216, "1ed5db04b39b510226e40c53197e191c88d23d8a7f3156854805781d62f4c9da"),
        (16_789_561, "0486787138c8816589cdfc49b717dd2477ebe1e7ae81cd1c7db6c4ba44459d85"),
        (41_943_047, "17274735c8c23b28a76a50ac057be93e1d29ebeef6b9557fa1eef857d1fd92a7"),
    ]

    /// The vectors' bytes.
    static func pattern(_ count: Int) -> [UInt8] {
        let block = (0..<256).map { UInt8(($0 * 31 + 7) % 256) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(count + 256)
        while bytes.count < count { bytes += block }
        return Array(bytes[0..<count])
    }

    @Test(arguments: vectors)
    func atOnceAndFromPieces(length: Int, expected: String) throws {
        let bytes = Self.pattern(length)
        #expect(ContentDigest.hex(bytes) == expected)
        #expect(ContentDigest.hex(bytes[...]) == expected)
        #expect(length > ContentDigest.chunk || SHA256.hex(bytes) == expected, "one chunk is plain SHA-256")
        // Pieces of 1 MiB + 7 bytes: every chunk boundary falls inside one.
        let hasher = BackgroundHasher()
        bytes.withUnsafeBytes { all in
            for start in stride(from: 0, to: all.count, by: (1 << 20) + 7) {
                hasher.update(UnsafeRawBufferPointer(rebasing: all[start..<min(all.count, start + (1 << 20) + 7)]))
            }
        }
        #expect(try hasher.hex() == expected)
    }

    @Test(arguments: vectors)
    func fromFileRangesAndAdoption(length: Int, expected: String) throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = "\(directory)/state"
        try Data(Self.pattern(length)).write(to: URL(fileURLWithPath: path))
        let descriptor = open(path, O_RDONLY)
        defer { close(descriptor) }
        // Ranges of 3 MiB + 1 from an odd offset, after the first 5 bytes as one range.
        let hasher = BackgroundHasher()
        var offset = 0
        for count in [5] + Array(repeating: (3 << 20) + 1, count: length / (3 << 20) + 1) where offset < length {
            hasher.update(file: descriptor, offset: Int64(offset), count: min(count, length - offset))
            offset += min(count, length - offset)
        }
        #expect(try hasher.hex() == expected)
        let adopted = try #require(try CheckpointFileWriter.adopting(path, directory: "\(directory)/files"))
        #expect(adopted.sha256 == expected && adopted.size == length)
    }

    /// A store written before the tree recorded a large file's plain SHA-256: reading and
    /// verifying accept it; any other digest is still refused.
    @Test func plainDigestsOfLargeFilesStillVerify() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let bytes = Self.pattern(ContentDigest.chunk + 12_345)
        let path = "\(directory)/state"
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let plain = SHA256.hex(bytes)
        #expect(plain != ContentDigest.hex(bytes))
        let legacy = CheckpointPayload.file(CheckpointFile(path: path, sha256: plain, size: bytes.count))
        #expect(try legacy.bytes() == bytes)
        let checkpoint = Checkpoint(id: 1, member: 0, step: 10, payload: .bytes(bytes))
        #expect(throws: Never.self) { try checkpoint.verified(against: plain, experiment: "e") }
        let wrong = SHA256.hex(bytes.dropLast())
        let damaged = CheckpointPayload.file(CheckpointFile(path: path, sha256: wrong, size: bytes.count))
        #expect(throws: StoreError.self) { try damaged.bytes() }
        #expect(throws: StoreError.self) { try checkpoint.verified(against: wrong, experiment: "e") }
    }

    private func temporaryDirectory() throws -> String {
        let path = NSTemporaryDirectory() + "pbt-digest-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }
}
