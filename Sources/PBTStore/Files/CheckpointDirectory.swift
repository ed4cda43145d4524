import Foundation

/// Checkpoints kept as files named by their bytes' `ContentDigest` (content-addressed): identical
/// states share one file, and a member that copies a donor copies no bytes (it points at the
/// donor's checkpoint).
///
/// SQLite keeps one beside its file (`PATH-checkpoints/`), PostgreSQL in the directory every
/// worker mounts (`checkpoints=file:///DIR`), the in-memory store in a temporary directory of
/// its own. Files arrive by `rename` from a staging file in the same directory, synced before
/// the commit that names them; a file no row names (retention dropped its last checkpoint, or
/// its process died before committing) is garbage that `sweep` removes.
public struct CheckpointDirectory: Hashable, Sendable {
    /// The directory.
    public let path: String

    /// How staging files (written, not yet adopted) start; `sweep` leaves them alone.
    static let stagingPrefix = ".staging-"

    /// A directory at `path` (created when the first file arrives).
    public init(path: String) {
        self.path = path
    }

    /// The file holding the bytes whose content digest is `sha256`.
    public func file(_ sha256: String) -> String {
        "\(path)/\(sha256)"
    }

    /// The stored checkpoint file of `sha256` and `size` (unchecked).
    public func stored(sha256: String, size: Int) -> CheckpointPayload {
        .file(CheckpointFile(path: file(sha256), sha256: sha256, size: size))
    }

    /// Keeps `payload` as the file named by its content digest.
    ///
    /// A file payload in this directory is moved in by `rename` (its staging file is gone
    /// afterwards), replacing any file of that name, which mends one damaged since it was
    /// stored; one elsewhere is copied, and verified while copied, and bytes are written,
    /// unless the directory holds a file of that name and size already.
    /// The file and the directory entry are synced before this returns, so a commit that names
    /// the file never survives a crash that the file does not.
    /// - Returns: the stored file.
    /// - Throws: `StoreError.unavailable` when the directory cannot be written;
    ///   `StoreError.checkpointCorrupt` when a file payload does not match its digest.
    public func adopt(_ payload: CheckpointPayload) throws -> CheckpointFile {
        let target = CheckpointFile(path: file(payload.sha256), sha256: payload.sha256, size: payload.size)
        var staged: CheckpointFile
        if case .file(let file) = payload, (file.path as NSString).deletingLastPathComponent == path {
            // Moved over any file of the same name: one that was damaged since is replaced,
            // where keeping it would hand the damage to every checkpoint with these contents.
            staged = file
        } else {
            var status = stat()
            if stat(target.path, &status) == 0, Int(status.st_size) == target.size { return target }
            let writer = try CheckpointFileWriter(directory: path)
            let reader = try CheckpointReader(payload)
            while try reader.next(upTo: CheckpointReader.chunkSize, { try writer.write($0) }) {}
            try reader.finish()
            staged = try writer.finish()
        }
        try sync(staged.path, flags: O_RDONLY)
        guard rename(staged.path, target.path) == 0 else {
            throw CheckpointFileWriter.failure(target.path, "cannot move '\(staged.path)' there")
        }
        staged.path = target.path
        try sync(path, flags: O_RDONLY | O_DIRECTORY)
        return staged
    }

    /// Removes the file of `sha256`, if any.
    public func remove(_ sha256: String) {
        unlink(file(sha256))
    }

    /// Removes every checkpoint file whose digest `keeping` does not hold; staging files stay
    /// (a worker may be writing one).
    public func sweep(keeping: Set<String>) {
        for name in (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        where name.utf8.count == 64 && !keeping.contains(name) {
            unlink(file(name))
        }
    }

    /// Removes the staging files of processes that died while writing: only safe while no
    /// other process writes to the directory (a SQLite store's owner, when it opens).
    public func removeStaging() {
        for name in (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        where name.hasPrefix(Self.stagingPrefix) {
            unlink("\(path)/\(name)")
        }
    }

    /// Makes the file or directory at `path` durable (`fsync`).
    private func sync(_ path: String, flags: Int32) throws {
        let descriptor = open(path, flags | O_CLOEXEC)
        guard descriptor >= 0 else { throw CheckpointFileWriter.failure(path, "cannot open it") }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else { throw CheckpointFileWriter.failure(path, "cannot sync it") }
    }
}
