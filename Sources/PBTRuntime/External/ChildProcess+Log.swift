import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Copies a program's standard error, read from a pipe by a thread of its own, to a log file
/// that can change while the program runs: a process the engine reuses for another member
/// writes to that member's log from then on.
final class LogRelay: Sendable {
    /// The read end of the program's standard error, non-blocking.
    private let errors: Int32
    /// The log the relay writes to (a descriptor of its own); -1 once the relay has ended.
    private let log: Mutex<Int32>

    /// Starts relaying from `errors` (the relay owns it) to a copy of `log`.
    init(errors: Int32, log: Int32, name: String) {
        self.errors = errors
        _ = fcntl(errors, F_SETFL, O_NONBLOCK)
        self.log = Mutex(fcntl(log, F_DUPFD_CLOEXEC, 0))
        let thread = Thread { [self] in self.run() }
        thread.name = name
        thread.start()
    }

    /// Whether the pipe has closed and everything read from it is in the log.
    var ended: Bool { log.withLock { $0 < 0 } }

    /// From now on the program's standard error goes to `descriptor` (copied); what it wrote
    /// before this call goes to the earlier log.
    func redirect(to descriptor: Int32) {
        let copy = fcntl(descriptor, F_DUPFD_CLOEXEC, 0)
        log.withLock { current in
            guard current >= 0 else {
                close(copy)
                return
            }
            _ = Self.copy(from: errors, to: current)
            close(current)
            current = copy
        }
    }

    /// The relay thread: copies until the program and everything it forked closed the pipe.
    private func run() {
        var descriptor = pollfd(fd: errors, events: Int16(POLLIN), revents: 0)
        while true {
            if poll(&descriptor, 1, -1) < 0 {
                if errno == EINTR { continue }
                break
            }
            let open = log.withLock { Self.copy(from: errors, to: $0) }
            if !open { break }
        }
        log.withLock { current in
            close(current)
            close(errors)
            current = -1
        }
    }

    /// Copies what `source` holds now to `target`; whether `source` is still open.
    private static func copy(from source: Int32, to target: Int32) -> Bool {
        var chunk = [UInt8](repeating: 0, count: 16_384)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(source, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { return count < 0 && errno == EAGAIN }
            var written = 0
            while written < count {
                let result = chunk.withUnsafeBytes { write(target, $0.baseAddress! + written, count - written) }
                if result < 0, errno == EINTR { continue }
                guard result > 0 else { break }  // a log that cannot be written loses the text, not the program
                written += result
            }
        }
    }
}
