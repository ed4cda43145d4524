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
        descriptor = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
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
        try writing { try FileRangeCopy.writeAll(descriptor, bytes) }
        size += bytes.count
    }

    /// Appends what is left of the open file `source` from its position (at most `limit` bytes),
    /// copied in the kernel where the system can; the hasher reads the appended bytes back from
    /// this file, so the digest is of what was stored.
    /// - Returns: the bytes appended.
    /// - Throws: `FileRangeCopy.Failure.read` when `source` cannot be read;
    ///   `StoreError.unavailable` when the disk refuses the bytes.
    public func append(contentsOf source: Int32, limit: UInt64? = nil) throws -> UInt64 {
        let start = size
        let count = try writing {
            try FileRangeCopy.copy(from: source, to: descriptor, limit: limit) { offset, count in
                hasher.update(file: descriptor, offset: Int64(start + offset), count: count)
            }
        }
        size += Int(count)
        return count
    }

    /// `body`'s result, its write failures as `StoreError.unavailable` naming the file.
    private func writing<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch FileRangeCopy.Failure.write(let reason) {
            throw Self.failure(path, "cannot write to it", reason: reason)
        }
    }

    /// Closes the file (a store that adopts it syncs it first: a small one it reads into a
    /// row is never synced).
    /// - Returns: the file with its content digest (`ContentDigest`) and size.
    /// - Throws: `StoreError.unavailable` when closing fails.
    public func finish() throws -> CheckpointFile {
        let digest = Result { try hasher.hex() }
        let closed = close(descriptor)
        descriptor = -1
        do {
            guard closed == 0 else { throw Self.failure(path, "cannot close it") }
            return CheckpointFile(path: path, sha256: try digest.get(), size: size)
        } catch let failure as BackgroundHasher.Failure {
            unlink(path)
            throw Self.failure(path, "cannot read it back to hash it", reason: failure.reason)
        } catch {
            unlink(path)
            throw error
        }
    }

    /// Takes the file at `path` as a staging file in `directory`, moved by `rename` without
    /// copying a byte, and hashes it where it lies: how an external program's single-file
    /// checkpoint is kept, whatever its size.
    ///
    /// Nil, leaving the file where it is, when it cannot be taken: not a regular file of its
    /// own (a symbolic link, or a file another name still reaches, whose later changes would
    /// change the stored checkpoint), or on another file system than `directory`.
    /// - Returns: the staging file with its content digest (`ContentDigest`) and size.
    /// - Throws: `StoreError.unavailable` naming the file when it was taken but cannot be
    ///   read back (it is removed).
    public static func adopting(_ path: String, directory: String) throws -> CheckpointFile? {
        var status = stat()
        guard lstat(path, &status) == 0, status.st_mode & S_IFMT == S_IFREG, status.st_nlink == 1 else {
            return nil
        }
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let staging = "\(directory)/\(CheckpointDirectory.stagingPrefix)\(UUID().uuidString)"
        guard rename(path, staging) == 0 else { return nil }
        // Readable by every worker sharing the folder, as the files this writer creates are.
        _ = chmod(staging, 0o644)
        do {
            let (sha256, size) = try digest(of: staging)
            return CheckpointFile(path: staging, sha256: sha256, size: size)
        } catch {
            unlink(staging)
            throw error
        }
    }

    /// The content digest and size of the file at `path`, read where its bytes lie: mapped a
    /// chunk at a time on the hasher's two threads, so nothing is copied and at most one chunk
    /// per thread is resident.
    private static func digest(of path: String) throws -> (sha256: String, size: Int) {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw failure(path, "cannot read it back to hash it") }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw failure(path, "cannot read it back to hash it") }
        let hasher = BackgroundHasher()
        hasher.update(file: descriptor, offset: 0, count: Int(status.st_size))
        do {
            return (try hasher.hex(), Int(status.st_size))
        } catch let failure as BackgroundHasher.Failure {
            throw Self.failure(path, "cannot read it back to hash it", reason: failure.reason)
        }
    }

    /// `StoreError.unavailable` naming `path`, `what` failed and the system's reason.
    static func failure(_ path: String, _ what: String, reason: String = String(cString: strerror(errno))) -> StoreError
    {
        StoreError(
            .unavailable,
            "checkpoint file '\(path)': \(what): \(reason); "
                + "check that its directory exists on this machine, is writable and has room")
    }
}
