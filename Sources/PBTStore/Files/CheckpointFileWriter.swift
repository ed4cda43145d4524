import Foundation

/// Writes a checkpoint file a piece at a time, hashing as it goes: how a large state reaches
/// disk without ever being whole in memory.
///
/// The file is a staging file (`DIR/.staging-UUID`) until a store adopts it
/// (`CheckpointDirectory.adopt`); a writer released before `finish()` removes its file.
public final class CheckpointFileWriter {
    /// The staging file.
    public let path: String
    private var descriptor: Int32
    /// Hashes the bytes beside the writing.
    private let hasher = BackgroundHasher()
    private var size = 0

    /// Creates a staging file in `directory`, creating the directory when needed.
    /// - Throws: `StoreError.unavailable` naming the file when it cannot be created.
    public init(directory: String) throws {
        path = "\(directory)/\(CheckpointDirectory.stagingPrefix)\(UUID().uuidString)"
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            hasher.cancel()
            throw Self.failure(path, "cannot create it")
        }
    }

    deinit {
        if descriptor >= 0 {
            close(descriptor)
            unlink(path)
        }
        hasher.cancel()
    }

    /// Appends `bytes`.
    /// - Throws: `StoreError.unavailable` when the disk refuses them (full, read-only).
    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        hasher.update(bytes)
        var offset = 0
        while offset < bytes.count {
            let written = Foundation.write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
            if written < 0, errno == EINTR { continue }
            guard written > 0 else { throw Self.failure(path, "cannot write to it") }
            offset += written
        }
        size += bytes.count
    }

    /// Closes the file (a store that adopts it syncs it first: a small one it reads into a
    /// row is never synced).
    /// - Returns: the file with its SHA-256 and size.
    /// - Throws: `StoreError.unavailable` when closing fails.
    public func finish() throws -> CheckpointFile {
        let closed = close(descriptor)
        descriptor = -1
        guard closed == 0 else {
            let failure = Self.failure(path, "cannot close it")
            unlink(path)
            throw failure
        }
        return CheckpointFile(path: path, sha256: hasher.hex(), size: size)
    }

    /// `StoreError.unavailable` naming `path`, `what` failed and the system's reason.
    static func failure(_ path: String, _ what: String) -> StoreError {
        StoreError(
            .unavailable,
            "checkpoint file '\(path)': \(what): \(String(cString: strerror(errno))); "
                + "check that its directory exists on this machine, is writable and has room")
    }
}
