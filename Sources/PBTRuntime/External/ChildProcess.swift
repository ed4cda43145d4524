import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A running program with a line channel: lines written to its standard input, lines read from
/// its standard output (by a reader thread of its own), standard error appended to a log file
/// (by a relay thread, `LogRelay`, so the log can change while the program runs).
///
/// The program starts in a process group of its own with the default signal mask and
/// dispositions (`ProcessSpawn`). A waiter thread notices its exit at once: it kills what is
/// left of the group (children the program forked) and ends the line channel, so a pending
/// `nextLine` fails even while a forked child holds the output open.
final class ChildProcess: Sendable {
    /// Why `nextLine` returned no line.
    enum End: Error {
        /// Standard output closed, or the program exited.
        case closed
        /// Nothing within the timeout.
        case timedOut
        /// A line longer than `maximumLineLength`.
        case tooLong
    }

    /// The longest line accepted, in bytes.
    static let maximumLineLength = 16 << 20

    /// The program's process id, also the id of its process group.
    let processIdentifier: pid_t
    /// How the program ended; nil until the waiter thread has reaped it. Signals go to the
    /// process group only while it is nil, so they never reach a reused process id.
    let ending = Mutex<ExitStatus?>(nil)
    private let input: FileHandle
    private let state = Mutex(LineState())
    private let relay: LogRelay

    /// Starts `executable` with `arguments` in `directory`.
    /// - Parameters:
    ///   - environment: the whole environment of the program.
    ///   - log: the descriptor its standard error goes to (copied; see `redirectLog(to:)`).
    init(executable: String, arguments: [String], directory: String, environment: [String: String], log: Int32) throws {
        Self.ignoreBrokenPipes
        let input = try Self.pipe()
        let output = try Self.pipe()
        let errors = try Self.pipe()
        let wake = try Self.pipe()
        defer {
            close(input.read)
            close(output.write)
            close(errors.write)
        }
        do {
            processIdentifier = try ProcessSpawn.spawn(
                executable, arguments: arguments, directory: directory, environment: environment,
                descriptors: [input.read, output.write, errors.write])
        } catch {
            for descriptor in [input.write, output.read, errors.read, wake.read, wake.write] { close(descriptor) }
            throw error
        }
        _ = fcntl(output.read, F_SETFL, O_NONBLOCK)
        self.input = FileHandle(fileDescriptor: input.write, closeOnDealloc: true)
        relay = LogRelay(errors: errors.read, log: log, name: "pbt-log-\(processIdentifier)")
        let reader = Thread { [self] in self.read(output.read, wake: wake.read) }
        reader.name = "pbt-child-\(processIdentifier)"
        reader.start()
        let waiter = Thread { [self] in self.awaitExit(wake: wake.write) }
        waiter.name = "pbt-wait-\(processIdentifier)"
        waiter.start()
    }

    /// Writing to a program that exited must throw, not kill the engine with SIGPIPE.
    private static let ignoreBrokenPipes: Void = { signal(SIGPIPE, SIG_IGN) }()

    /// A pipe whose two ends close on exec (the program gets its end by `dup2`; `ProcessSpawn`
    /// also closes every other descriptor, so a spawn between `pipe` and `fcntl` leaks none).
    private static func pipe() throws -> (read: Int32, write: Int32) {
        var ends: [Int32] = [0, 0]
        guard Glibc.pipe(&ends) == 0 else {
            throw ProcessSpawn.Failure(description: "cannot make a pipe: \(String(cString: strerror(errno)))")
        }
        for end in ends { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
        return (ends[0], ends[1])
    }

    /// Writes `line` and a newline to the program's standard input.
    func send(_ line: String) throws {
        try input.write(contentsOf: Data((line + "\n").utf8))
    }

    /// Sends the program's standard error to `log` (copied) from now on; what it wrote before
    /// goes to the earlier log.
    func redirectLog(to log: Int32) {
        relay.redirect(to: log)
    }

    /// Whether the program's standard error has closed and all of it is in the log.
    var relayEnded: Bool { relay.ended }

    /// Closes the program's standard input.
    func closeInput() {
        try? input.close()
    }

    /// The next line from the program's standard output (without its newline).
    /// - Throws: `End` when output closed or the program exited, nothing came within
    ///   `timeout`, or a line is too long.
    func nextLine(timeout: Duration) async throws -> String {
        let token: Int = state.withLock {
            $0.waiterToken += 1
            return $0.waiterToken
        }
        let timer = Task { [self] in
            try await Task.sleep(for: timeout)
            let waiter: CheckedContinuation<String, any Error>? = state.withLock {
                guard $0.waiterToken == token, let waiter = $0.waiter else { return nil }
                $0.waiter = nil
                return waiter
            }
            waiter?.resume(throwing: End.timedOut)
        }
        defer { timer.cancel() }
        return try await withCheckedThrowingContinuation { continuation in
            let ready: Result<String, any Error>? = state.withLock {
                if let result = $0.take() { return result }
                $0.waiter = continuation
                return nil
            }
            if let ready { continuation.resume(with: ready) }
        }
    }

    /// The reader thread: splits standard output into lines until it closes, or until the
    /// program has exited (`wake` is readable) and all it wrote has been read.
    private func read(_ output: Int32, wake: Int32) {
        defer {
            close(output)
            close(wake)
        }
        var chunk = [UInt8](repeating: 0, count: 65_536)
        var descriptors = [output, wake].map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
        while true {
            if poll(&descriptors, 2, -1) < 0 {
                if errno == EINTR { continue }
                _ = receive(nil)
                return
            }
            let exited = descriptors[1].revents != 0
            while true {
                let count = chunk.withUnsafeMutableBytes { Glibc.read(output, $0.baseAddress, $0.count) }
                if count < 0, errno == EINTR { continue }
                if count < 0, errno == EAGAIN { break }
                guard receive(count > 0 ? chunk[0..<count] : nil) else { return }
            }
            if exited {
                _ = receive(nil)
                return
            }
        }
    }

    /// Adds `bytes` (nil: the end of output) to the lines and hands a waiting `nextLine` its
    /// result; whether more output is wanted.
    private func receive(_ bytes: ArraySlice<UInt8>?) -> Bool {
        let (waiter, open): ((CheckedContinuation<String, any Error>, Result<String, any Error>)?, Bool) =
            state.withLock {
                if let bytes { $0.append(bytes) } else { $0.closed = true }
                let open = !$0.closed && !$0.tooLong
                guard let waiter = $0.waiter, let result = $0.take() else { return (nil, open) }
                $0.waiter = nil
                return ((waiter, result), open)
            }
        if let (continuation, result) = waiter { continuation.resume(with: result) }
        return open
    }
}
