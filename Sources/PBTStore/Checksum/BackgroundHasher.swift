import Foundation

/// The `ContentDigest` of a stream of bytes, computed on two threads of its own: hashing a
/// large checkpoint (about 1.7 GB/s per core) overlaps reading, writing or copying it instead
/// of adding to them, and its chunks are hashed on both cores.
///
/// A piece is either bytes, which `update` copies into one of a few reused buffers, or a range
/// of a file, which a thread maps and hashes in place (`update(file:offset:count:)`: what a
/// copy made in the kernel adds). Pieces are cut at chunk boundaries; chunk i goes to thread
/// i mod 2, which hashes its chunks' pieces in the order they were added. At most `depth`
/// pieces wait per thread, so memory stays bounded. `hex()` waits for the threads to hash what
/// is left. A hasher whose owner gives up calls `cancel()`, which lets the threads end.
final class BackgroundHasher: @unchecked Sendable {  // `condition` guards every `var` but `size`.
    /// How many pieces may wait for one thread before `update` waits.
    private static let depth = 4
    /// The hashing threads.
    private static let threads = 2

    private enum Piece {
        case bytes([UInt8])
        /// A duplicate of the caller's descriptor (closed once read), where and how much.
        case file(Int32, offset: Int64, count: Int)
    }

    private let condition = NSCondition()
    /// The pieces waiting for each thread, with the chunk each belongs to.
    private var waiting: [[(chunk: Int, piece: Piece)]] = Array(repeating: [], count: threads)
    private var spare: [[UInt8]] = []
    /// The bytes added so far (only the owner's calls, one at a time, read and write it).
    private var size = 0
    private var ending = false
    /// The threads still hashing.
    private var running = threads
    /// Each hashed chunk's SHA-256.
    private var leaves: [Int: [UInt8]] = [:]
    /// Why a file range could not be read, when one could not.
    private var readFailure: String?

    /// Starts the hashing threads.
    init() {
        for index in 0..<Self.threads {
            let thread = Thread { [self] in run(index) }
            thread.name = "pbt-sha256-\(index)"
            thread.start()
        }
    }

    /// Adds the next bytes (copied: the caller may reuse its buffer at once).
    func update(_ bytes: UnsafeRawBufferPointer) {
        forEachChunkPiece(count: bytes.count) { start, count in
            condition.lock()
            var buffer = spare.popLast() ?? []
            condition.unlock()
            buffer.removeAll(keepingCapacity: true)
            buffer.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[start..<(start + count)]))
            return .bytes(buffer)
        }
    }

    /// Adds the `count` bytes at `offset` of the open file `descriptor` (the caller's file
    /// position is not used; the caller may close its descriptor at once). A mapped range is
    /// resident until hashed: at most one range of `ContentDigest.chunk` bytes per thread.
    func update(file descriptor: Int32, offset: Int64, count: Int) {
        forEachChunkPiece(count: count) { start, count in
            let duplicate = dup(descriptor)
            guard duplicate >= 0 else {
                condition.lock()
                readFailure = readFailure ?? String(cString: strerror(errno))
                condition.unlock()
                return nil
            }
            return .file(duplicate, offset: offset + Int64(start), count: count)
        }
    }

    /// Cuts the next `count` bytes at chunk boundaries and queues the piece `make` returns for
    /// each part (given its start within the `count` bytes and its length) with its thread.
    private func forEachChunkPiece(count: Int, _ make: (_ start: Int, _ count: Int) -> Piece?) {
        var start = 0
        while start < count {
            let chunk = size / ContentDigest.chunk
            let part = min(count - start, (chunk + 1) * ContentDigest.chunk - size)
            if let piece = make(start, part) {
                condition.lock()
                let thread = chunk % Self.threads
                while waiting[thread].count >= Self.depth, !ending { condition.wait() }
                if ending, case .file(let descriptor, _, _) = piece { close(descriptor) }
                if !ending { waiting[thread].append((chunk, piece)) }
                condition.broadcast()
                condition.unlock()
            }
            size += part
            start += part
        }
    }

    /// The content digest of everything added, as 64 lowercase hexadecimal digits, once
    /// hashed.
    /// - Throws: `Failure` when a file range could not be read.
    func hex() throws -> String {
        condition.lock()
        defer { condition.unlock() }
        ending = true
        condition.broadcast()
        while running > 0 { condition.wait() }
        if let readFailure { throw Failure(reason: readFailure) }
        let empty = SHA256.Stream().digest()
        let chunks = max(1, (size + ContentDigest.chunk - 1) / ContentDigest.chunk)
        return ContentDigest.root(leaves: (0..<chunks).map { leaves[$0] ?? empty }, size: size)
    }

    /// A file range a thread could not read.
    struct Failure: Error {
        /// The system's reason.
        let reason: String
    }

    /// Lets the threads end without a digest being asked for.
    func cancel() {
        condition.lock()
        ending = true
        for queue in waiting {
            for case .file(let descriptor, _, _) in queue.map(\.piece) { close(descriptor) }
        }
        waiting = Array(repeating: [], count: Self.threads)
        condition.broadcast()
        condition.unlock()
    }

    /// Thread `index`'s loop: hashes its chunks' pieces, each chunk's into a stream of its
    /// own, and records each chunk's digest when its next chunk starts or the input ends.
    private func run(_ index: Int) {
        var current: (chunk: Int, stream: SHA256.Stream)?
        var readBuffer: [UInt8] = []
        condition.lock()
        while true {
            if !waiting[index].isEmpty {
                let (chunk, piece) = waiting[index].removeFirst()
                condition.broadcast()
                condition.unlock()
                var finished: (chunk: Int, digest: [UInt8])?
                if let previous = current, previous.chunk != chunk {
                    finished = (previous.chunk, previous.stream.digest())
                    current = nil
                }
                var stream = current?.stream ?? SHA256.Stream()
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
                current = (chunk, stream)
                condition.lock()
                if let finished { leaves[finished.chunk] = finished.digest }
                if let failure { readFailure = readFailure ?? failure }
            } else if ending {
                break
            } else {
                condition.wait()
            }
        }
        if let current { leaves[current.chunk] = current.stream.digest() }
        running -= 1
        condition.broadcast()
        condition.unlock()
    }

    /// Hashes `count` bytes at `offset` of `descriptor` into `stream`: mapped into memory, so
    /// the bytes are hashed where the kernel keeps them (reading them would copy them once
    /// more, which costs as much as the hashing); read a chunk at a time where a file cannot be
    /// mapped.
    /// - Returns: why reading failed, or nil.
    static func hash(
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
