import Foundation

/// A checkpoint's content address, what stores record as its `sha256` and name its file by:
/// the SHA-256 of its bytes up to one `chunk` (8 MiB), so that `sha256sum` of such a state
/// gives its digest, and above that a SHA-256 tree, whose chunks are hashed on two cores:
///
///     SHA-256( "pbt-sha256-chunks\0" ‖ size ‖ chunk ‖ SHA-256(c₀) ‖ SHA-256(c₁) ‖ … )
///
/// with `size` and `chunk` as 8-byte big-endian integers and `cᵢ` the bytes `[i·chunk,
/// (i+1)·chunk)` (the last one shorter). One SHA-256 stream runs at about 1.7 GB/s on one core
/// here, twice the time of `cp` for a large file; the tree's chunks go through both cores
/// beside the copy. `scripts/content_digest.py` computes the same digest for any file.
///
/// Stores written before the tree named large files by their plain SHA-256; `matches` accepts
/// either, so their checkpoints keep verifying.
public enum ContentDigest {
    /// The bytes hashed as one leaf of the tree: 8 MiB, the piece the kernel copies at a time.
    public static let chunk = 8 << 20

    /// The tag the root's input starts with (domain separation: a root hashes the tree, not
    /// a checkpoint's bytes).
    static let rootTag = Array("pbt-sha256-chunks\0".utf8)

    /// The content digest of `bytes` as 64 lowercase hexadecimal digits.
    /// - Complexity: O(n) in `bytes.count`.
    public static func hex(_ bytes: some Collection<UInt8>) -> String {
        let contiguous = bytes.withContiguousStorageIfAvailable { digest(UnsafeRawBufferPointer($0)) }
        return contiguous ?? Array(bytes).withUnsafeBytes { digest($0) }
    }

    private static func digest(_ bytes: UnsafeRawBufferPointer) -> String {
        guard bytes.count > chunk else { return SHA256.hex(bytes) }
        let leaves = stride(from: 0, to: bytes.count, by: chunk).map {
            SHA256.digest(UnsafeRawBufferPointer(rebasing: bytes[$0..<min(bytes.count, $0 + chunk)]))
        }
        return root(leaves: leaves, size: bytes.count)
    }

    /// The digest of a `size`-byte content from its leaves: the only leaf's own digest at one
    /// chunk or less, else the root over them.
    /// - Precondition: `leaves.count` is `max(1, ⌈size / chunk⌉)`.
    static func root(leaves: [[UInt8]], size: Int) -> String {
        precondition(leaves.count == max(1, (size + chunk - 1) / chunk), "ContentDigest: \(leaves.count) leaves")
        guard leaves.count > 1 else { return SHA256.hexadecimal(leaves[0]) }
        var stream = SHA256.Stream()
        var header = rootTag
        for value in [UInt64(size), UInt64(chunk)] {
            header += (0..<8).reversed().map { UInt8(truncatingIfNeeded: value >> (8 * $0)) }
        }
        header.withUnsafeBytes { stream.update($0) }
        for leaf in leaves { leaf.withUnsafeBytes { stream.update($0) } }
        return stream.hex()
    }

    /// Whether `recorded` names `bytes`: their content digest, or — above one chunk — their
    /// plain SHA-256, as stores written before the tree recorded it.
    public static func matches(_ recorded: String, _ bytes: [UInt8]) -> Bool {
        hex(bytes) == recorded || (bytes.count > chunk && SHA256.hex(bytes) == recorded)
    }

    /// Whether the file at `path`, whose content digest came out as something else, has the
    /// plain SHA-256 `recorded` (a file stored before the tree; only files above one chunk
    /// can be).
    /// - Throws: `BackgroundHasher.Failure` when the file cannot be read.
    static func fileHasPlainDigest(_ path: String, size: Int, _ recorded: String) throws -> Bool {
        guard size > chunk else { return false }
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw BackgroundHasher.Failure(reason: String(cString: strerror(errno))) }
        defer { close(descriptor) }
        var stream = SHA256.Stream()
        var buffer: [UInt8] = []
        if let failure = BackgroundHasher.hash(descriptor, offset: 0, count: size, into: &stream, buffer: &buffer) {
            throw BackgroundHasher.Failure(reason: failure)
        }
        return stream.hex() == recorded
    }
}
