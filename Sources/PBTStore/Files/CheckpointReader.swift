import Foundation

/// Reads a checkpoint a chunk at a time, bytes or file alike, checking a file against its
/// SHA-256 and size as it goes: memory stays bounded by the chunk size, and a state is hashed
/// in the same pass that restores it.
///
/// A file's damage shows at the end: `finish()` throws `StoreError.checkpointCorrupt` when the
/// file was shorter, longer or different, so callers discard what they made of the bytes until
/// `finish()` returns. A missing file throws the same error when the reader is created.
public final class CheckpointReader {
    /// The largest piece read at a time: 1 MiB.
    public static let chunkSize = 1 << 20

    private let payload: CheckpointPayload
    private var descriptor: Int32 = -1
    private var buffer: [UInt8] = []
    /// Bytes handed out so far.
    private var position = 0
    /// Hashes a file's bytes beside the reading (nil for bytes: the store verified them).
    private let hasher: BackgroundHasher?

    /// Opens `payload` for reading.
    /// - Throws: `StoreError.checkpointCorrupt` when its file is missing or unreadable.
    public init(_ payload: CheckpointPayload) throws {
        self.payload = payload
        guard case .file(let file) = payload else {
            hasher = nil
            return
        }
        hasher = BackgroundHasher()
        descriptor = open(file.path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            hasher?.cancel()
            throw StoreError(
                .checkpointCorrupt, "checkpoint file '\(file.path)' cannot be read: \(String(cString: strerror(errno)))"
            )
        }
        buffer = [UInt8](repeating: 0, count: Self.chunkSize)
    }

    deinit {
        if descriptor >= 0 { close(descriptor) }
        hasher?.cancel()
    }

    /// Passes the next at most `count` bytes (at least one) to `body`.
    /// - Returns: false, without calling `body`, at the end.
    /// - Throws: `StoreError.checkpointCorrupt` when a file cannot be read; `body`'s errors.
    public func next(upTo count: Int, _ body: (UnsafeRawBufferPointer) throws -> Void) throws -> Bool {
        switch payload {
        case .bytes(let bytes):
            let end = min(bytes.count, position + count)
            guard end > position else { return false }
            try bytes[position..<end].withUnsafeBytes(body)
            position = end
            return true
        case .file(let file):
            let wanted = min(count, buffer.count)
            let got = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, wanted) }
            guard got >= 0 else {
                throw StoreError(
                    .checkpointCorrupt,
                    "checkpoint file '\(file.path)' cannot be read: \(String(cString: strerror(errno)))")
            }
            guard got > 0 else { return false }
            position += got
            try buffer.withUnsafeBytes { raw in
                let piece = UnsafeRawBufferPointer(rebasing: raw[0..<got])
                hasher?.update(piece)
                try body(piece)
            }
            return true
        }
    }

    /// The first `count` bytes (fewer when the checkpoint is shorter), left unread: the next
    /// read still starts at the first byte. A file's are read where they lie and hashed when
    /// read, so a copy of the whole file stays aligned with its pages (after a few bytes
    /// written apart, the kernel's copy of 2 GiB took 1.1–2.1 s here instead of 0.6–0.7 s).
    /// - Precondition: nothing has been read yet.
    /// - Throws: `StoreError.checkpointCorrupt` when a file cannot be read.
    public func peek(_ count: Int) throws -> [UInt8] {
        precondition(position == 0, "CheckpointReader.peek after reading")
        switch payload {
        case .bytes(let bytes):
            return Array(bytes.prefix(count))
        case .file(let file):
            var bytes = [UInt8](repeating: 0, count: count)
            var got = 0
            while got < count {
                let read = bytes.withUnsafeMutableBytes {
                    pread(descriptor, $0.baseAddress! + got, count - got, off_t(got))
                }
                if read < 0, errno == EINTR { continue }
                guard read >= 0 else {
                    throw StoreError(
                        .checkpointCorrupt,
                        "checkpoint file '\(file.path)' cannot be read: \(String(cString: strerror(errno)))")
                }
                if read == 0 { break }
                got += read
            }
            return Array(bytes[0..<got])
        }
    }

    /// Copies the next `count` bytes (all that is left when nil) to the open file
    /// `destination`: a file's in the kernel where the system can, and hashed as they lie in
    /// `destination` (which must be open for reading too), on a thread of its own — what is
    /// verified is what was written. (Hashing the stored file instead, while the copy reads
    /// it, made a 2 GiB restore twice as slow here.)
    /// - Returns: the bytes copied (fewer than `count` when the checkpoint ends first).
    /// - Throws: `StoreError.checkpointCorrupt` when a file cannot be read;
    ///   `FileRangeCopy.Failure.write` when `destination` cannot be written.
    public func copy(_ count: UInt64?, to destination: Int32) throws -> UInt64 {
        switch payload {
        case .bytes(let bytes):
            let end = count.map { min(bytes.count, position + Int(clamping: $0)) } ?? bytes.count
            try bytes[position..<end].withUnsafeBytes { try FileRangeCopy.writeAll(destination, $0) }
            let start = position
            position = end
            return UInt64(end - start)
        case .file(let file):
            let start = Int64(lseek(destination, 0, SEEK_CUR))
            do {
                let copied = try FileRangeCopy.copy(from: descriptor, to: destination, limit: count) { offset, count in
                    hasher?.update(file: destination, offset: start + Int64(offset), count: count)
                }
                position += Int(copied)
                return copied
            } catch FileRangeCopy.Failure.read(let reason) {
                throw StoreError(.checkpointCorrupt, "checkpoint file '\(file.path)' cannot be read: \(reason)")
            }
        }
    }

    /// Exactly the next `count` bytes, or nil when the checkpoint ends before them.
    public func bytes(exactly count: Int) throws -> [UInt8]? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(count)
        while bytes.count < count, try next(upTo: count - bytes.count, { bytes += $0 }) {}
        return bytes.count == count ? bytes : nil
    }

    /// Reads whatever is left and checks a file against its recorded size and content digest
    /// (or the plain SHA-256 a store written before `ContentDigest`'s tree recorded for a large
    /// file, checked by reading the stored file once more).
    /// - Throws: `StoreError.checkpointCorrupt` naming the file when they differ.
    public func finish() throws {
        guard case .file(let file) = payload else { return }
        while try next(upTo: Self.chunkSize, { _ in }) {}
        let actual: String
        do {
            actual = try hasher?.hex() ?? ""
        } catch let failure as BackgroundHasher.Failure {
            throw StoreError(.checkpointCorrupt, "checkpoint file '\(file.path)' cannot be read: \(failure.reason)")
        }
        guard position == file.size, try actual == file.sha256 || Self.hasPlainDigest(file) else {
            throw StoreError(
                .checkpointCorrupt,
                "checkpoint file '\(file.path)' is corrupt (\(position) bytes with sha256 \(actual.prefix(12))…; "
                    + "recorded: \(file.size) bytes with sha256 \(file.sha256.prefix(12))…)")
        }
    }

    /// Whether `file` has its recorded digest as a plain SHA-256 (see `ContentDigest`).
    private static func hasPlainDigest(_ file: CheckpointFile) throws -> Bool {
        do {
            return try ContentDigest.fileHasPlainDigest(file.path, size: file.size, file.sha256)
        } catch let failure as BackgroundHasher.Failure {
            throw StoreError(.checkpointCorrupt, "checkpoint file '\(file.path)' cannot be read: \(failure.reason)")
        }
    }
}
