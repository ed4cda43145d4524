import Foundation

/// SHA-256 of a stream of bytes, computed on a thread of its own: hashing a large checkpoint
/// (about 1 GB/s) overlaps reading and writing it instead of adding to them.
///
/// `update` copies each piece into one of a few reused buffers (at most `depth` wait, so memory
/// stays bounded) and returns; `hex()` waits for the thread to hash what is left. A hasher
/// whose owner gives up calls `cancel()`, which lets the thread end.
final class BackgroundHasher: @unchecked Sendable {  // `condition` guards every `var`.
    /// How many pieces may wait to be hashed before `update` waits.
    private static let depth = 4

    private let condition = NSCondition()
    private var waiting: [[UInt8]] = []
    private var spare: [[UInt8]] = []
    private var ending = false
    private var digest: String?

    /// Starts the hashing thread.
    init() {
        let thread = Thread { [self] in run() }
        thread.name = "pbt-sha256"
        thread.start()
    }

    /// Adds the next bytes (copied: the caller may reuse its buffer at once).
    func update(_ bytes: UnsafeRawBufferPointer) {
        condition.lock()
        while waiting.count >= Self.depth { condition.wait() }
        var buffer = spare.popLast() ?? []
        condition.unlock()
        buffer.removeAll(keepingCapacity: true)
        buffer.append(contentsOf: bytes)
        condition.lock()
        waiting.append(buffer)
        condition.broadcast()
        condition.unlock()
    }

    /// The digest of everything added, as 64 lowercase hexadecimal digits, once hashed.
    func hex() -> String {
        condition.lock()
        defer { condition.unlock() }
        ending = true
        condition.broadcast()
        while digest == nil { condition.wait() }
        return digest!
    }

    /// Lets the thread end without a digest being asked for.
    func cancel() {
        condition.lock()
        ending = true
        waiting = []
        condition.broadcast()
        condition.unlock()
    }

    private func run() {
        var stream = SHA256.Stream()
        condition.lock()
        while true {
            if !waiting.isEmpty {
                let piece = waiting.removeFirst()
                condition.unlock()
                piece.withUnsafeBytes { stream.update($0) }
                condition.lock()
                spare.append(piece)
                condition.broadcast()
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
}
