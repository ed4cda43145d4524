import Foundation

/// A saved state as workers hand it to a store and stores hand it back: bytes in memory, or a
/// file on disk, so that states of gigabytes never have to be in memory.
///
/// Stores keep a checkpoint of `fileThreshold` bytes or more as a file named by its content
/// digest (`ContentDigest`, see `CheckpointDirectory`), smaller ones as bytes in their rows,
/// whichever form it came in.
public enum CheckpointPayload: Hashable, Sendable {
    /// The state's bytes.
    case bytes([UInt8])
    /// A file holding the state's bytes, with their content digest and size.
    case file(CheckpointFile)

    /// The size from which stores keep a checkpoint as a file: 16 MiB. Below it a row holds
    /// the bytes (built-in workloads save kilobytes to a few megabytes and commit many times a
    /// second: one database file, no file to write and sync per commit); above it, copying
    /// dominates, and SQLite and PostgreSQL would need the whole value in memory at once.
    public static let fileThreshold = 16 << 20

    /// The number of bytes.
    public var size: Int {
        switch self {
        case .bytes(let bytes): bytes.count
        case .file(let file): file.size
        }
    }

    /// The bytes' content digest (`ContentDigest`: their SHA-256 up to 8 MiB) as 64 lowercase
    /// hexadecimal digits (recorded for a file, computed for bytes).
    public var sha256: String {
        switch self {
        case .bytes(let bytes): ContentDigest.hex(bytes)
        case .file(let file): file.sha256
        }
    }

    /// Every byte, in memory (a file is read whole and verified): for states known to be small,
    /// such as those of built-in workloads.
    /// - Throws: `StoreError.checkpointCorrupt` when a file is missing or does not match its
    ///   SHA-256 or size.
    public func bytes() throws -> [UInt8] {
        switch self {
        case .bytes(let bytes): return bytes
        case .file(let file):
            var bytes: [UInt8] = []
            bytes.reserveCapacity(file.size)
            let reader = try CheckpointReader(self)
            while try reader.next(upTo: CheckpointReader.chunkSize, { bytes += $0 }) {}
            try reader.finish()
            return bytes
        }
    }
}

/// A checkpoint kept as a file.
public struct CheckpointFile: Hashable, Sendable {
    /// Where the file is.
    public var path: String
    /// The content digest of its bytes (`ContentDigest`), 64 lowercase hexadecimal digits.
    public var sha256: String
    /// Its size in bytes.
    public var size: Int

    /// Describes a checkpoint file.
    public init(path: String, sha256: String, size: Int) {
        self.path = path
        self.sha256 = sha256
        self.size = size
    }

    /// The file, after a cheap check that it is there with its recorded size; its bytes are
    /// verified when read (`CheckpointReader`).
    /// - Parameter what: names the checkpoint in the error, e.g. "experiment 'x': checkpoint 3".
    /// - Throws: `StoreError.checkpointCorrupt` when the file is missing or of another size:
    ///   a damaged checkpoint, like bytes whose SHA-256 does not match.
    public func checked(_ what: @autoclosure () -> String) throws -> CheckpointFile {
        var status = stat()
        guard stat(path, &status) == 0 else {
            throw StoreError(.checkpointCorrupt, "\(what()) is missing its file '\(path)'")
        }
        guard Int(status.st_size) == size else {
            throw StoreError(
                .checkpointCorrupt, "\(what()) is corrupt: its file '\(path)' has \(status.st_size) bytes, not \(size)")
        }
        return self
    }
}
