import Foundation

/// SHA-256 of a stream of bytes, computed on a thread of its own: hashing a large checkpoint
/// (about 1.5 GB/s) overlaps reading, writing or copying it instead of adding to them.
///
/// A piece is either bytes, which `update` copies into one of a few reused buffers, or a range
/// of a file, which the thread maps and hashes in place (`update(file:offset:count:)`: what a
/// copy made in the kernel adds). At most `depth` pieces wait, so memory stays bounded; pieces are hashed in
/// the order they were added. `hex()` waits for the thread to hash what is left. A hasher whose
/// owner gives up calls `cancel()`, which lets the thread end.
final class BackgroundHasher: @unchecked Sendable {  // `condition` guards every `var`.
    /// How many pieces may wait to be hashed before `update` waits.
    private static let depth = 4

    private enum Piece {
        case bytes([UInt8])
        /// A duplicate of the caller's descriptor (closed once read), where and how much.
        case file(Int32, offset: Int64, count: Int)
    }

    private let condition = NSCondition()
    private var waiting: [Piece] = []
    private var spare: [[UInt8]] = []
    private var ending = false
    private var digest: String?
    /// Why a file range could not be read, when one could not.
    private var readFailure: String?

    /// Starts the hashing thread.
    init() {
        let thread = Thread { [self] in run() }
        thread.name = "pbt-sha256"
        thread.start()
    }

    /// Adds the next bytes (copied: the caller may reuse its buffer at once).
    func update(_ bytes: UnsafeRawBufferPointer) {
        condition.lock()
        var buffer = spare.popLast() ?? []
        condition.unlock()
        buffer.removeAll(keepingCapacity: true)
        buffer.append(contentsOf: bytes)
        enqueue(.bytes(buffer))
    }

    /// Adds the `count` bytes at `offset` of the open file `descriptor` (the caller's file
    /// position is not used; the caller may close its descriptor at once). A mapped range is
    /// resident until hashed: at most `depth + 1` ranges of `FileRangeCopy.piece` bytes.
    func update(file descriptor: Int32, offset: Int64, count: Int) {
        let duplicate = dup(descriptor)
        guard duplicate >= 0 else {
            condition.lock()
            readFailure = readFailure ?? String(cString: strerror(errno))
            condition.unlock()
            return
        }
        enqueue(.file(duplicate, offset: offset, count: count))
    }

    private func enqueue(_ piece: Piece) {
        condition.lock()
        while waiting.count >= Self.depth, !ending { condition.wait() }
        waiting.append(piece)
        condition.broadcast()
        condition.unlock()
    }

    /// The digest of everything added, as 64 lowercase hexadecimal digits, once hashed.
    /// - Throws: `Failure` when a file range could not be read.
    func hex() throws -> String {
        condition.lock()
        defer { condition.unlock() }
        ending = true
        condition.broadcast()
        while digest == nil { condition.wait() }
        if let readFailure { throw Failure(reason: readFailure) }
        return digest!
    }

    /// A file range the thread could not read.
    struct Failure: Error {
        /// The system's reason.
        let reason: String
    }

    /// Lets the thread end without a digest being asked for.
    func cancel() {
        condition.lock()
        ending = true
        for case .file(let descriptor, _, _) in waiting { close(descriptor) }
        waiting = []
        condition.broadcast()
        condition.unlock()
    }

    private func run() {
        var stream = SHA256.Stream()
        var readBuffer: [UInt8] = []
        condition.lock()
        while true {
            if !waiting.isEmpty {
                let piece = waiting.removeFirst()
                condition.broadcast()
                condition.unlock()
                var failure: String?
                switch piece {
                case .bytes(let bytes):
                    bytes.withUnsafeBytes { stream.update($0) }
                    condition.lock()
                    spare.append(bytes)
                    condition.unlock()
                case .file(let descriptor, let offset, let count):
                    failure = Self.hash(descriptor, offset: offset, count: count, into: &stream, buffer: &readBuffer)
                    close(descriptor)
                }
                condition.lock()
                if let failure { readFailure = readFailure ?? failure }
            } else if ending {
                break
            } else {
                condition.wait()
            }
        }
        digest = stream.hex()
        condition.broadcast()
        condition.unlock()
    }

    /// Hashes `count` bytes at `offset` of `descriptor` into `stream`: mapped into memory, so
    /// the bytes are hashed where the kernel keeps them (reading them would copy them once
    /// more, which costs as much as the hashing); read a chunk at a time where a file cannot be
    /// mapped.
    /// - Returns: why reading failed, or nil.
    private static func hash(
        _ descriptor: Int32, offset: Int64, count: Int, into stream: inout SHA256.Stream, buffer: inout [UInt8]
    ) -> String? {
        let page = Int64(sysconf(Int32(_SC_PAGESIZE)))
        let start = offset - offset % page
        let length = Int(offset - start) + count
        // Faulted in as the hash reaches them: with `MAP_POPULATE`, copying 2 GiB in the kernel
        // while hashing the pieces written took 3.3–4.0 s here instead of 1.4 s.
        if count > 0,
            let mapping = mmap(nil, length, PROT_READ, MAP_SHARED, descriptor, off_t(start)),
            mapping != MAP_FAILED
        {
            _ = madvise(mapping, length, MADV_SEQUENTIAL)
            stream.update(UnsafeRawBufferPointer(start: mapping + Int(offset - start), count: count))
            munmap(mapping, length)
            return nil
        }
        if buffer.isEmpty { buffer = [UInt8](repeating: 0, count: 1 << 20) }
        var done = 0
        while done < count {
            let wanted = min(buffer.count, count - done)
            let got = buffer.withUnsafeMutableBytes {
                pread(descriptor, $0.baseAddress, wanted, off_t(offset) + off_t(done))
            }
            if got < 0, errno == EINTR { continue }
            guard got > 0 else { return got == 0 ? "the file ended early" : String(cString: strerror(errno)) }
            buffer.withUnsafeBytes { stream.update(UnsafeRawBufferPointer(rebasing: $0[0..<got])) }
            done += got
        }
        return nil
    }
}
