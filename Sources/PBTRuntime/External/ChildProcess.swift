import Foundation
import Synchronization

/// A running program with a line channel: lines written to its standard input, lines read from
/// its standard output (by a reader thread of its own), standard error appended to a log file.
final class ChildProcess: Sendable {
    /// Why `nextLine` returned no line.
    enum End: Error {
        /// Standard output closed (the program exited).
        case closed
        /// Nothing within the timeout.
        case timedOut
        /// A line longer than `maximumLineLength`.
        case tooLong
    }

    /// The longest line accepted, in bytes.
    static let maximumLineLength = 16 << 20

    private let process: Process
    private let input: FileHandle
    private let state = Mutex(LineState())

    private struct LineState {
        var buffer: [UInt8] = []
        var lines: [String] = []
        var nextLine = 0
        var closed = false
        var tooLong = false
        var waiter: CheckedContinuation<String, any Error>?
        var waiterToken = 0

        /// The next complete line, or the reason there is none; nil while more may come.
        mutating func take() -> Result<String, any Error>? {
            if nextLine < lines.count {
                nextLine += 1
                let line = lines[nextLine - 1]
                if nextLine == lines.count {
                    lines.removeAll(keepingCapacity: true)
                    nextLine = 0
                }
                return .success(line)
            }
            if tooLong { return .failure(End.tooLong) }
            if closed { return .failure(End.closed) }
            return nil
        }
    }

    /// Starts `executable` with `arguments` in `directory`.
    /// - Parameters:
    ///   - environment: the whole environment of the program.
    ///   - log: where its standard error goes (appended).
    init(executable: String, arguments: [String], directory: String, environment: [String: String], log: FileHandle) throws {
        Self.ignoreBrokenPipes
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        process.environment = environment
        let stdin = Pipe()
        let stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = log
        try process.run()
        self.process = process
        self.input = stdin.fileHandleForWriting
        let output = stdout.fileHandleForReading
        let thread = Thread { [self] in self.read(output) }
        thread.name = "pbt-child-\(process.processIdentifier)"
        thread.start()
    }

    /// Writing to a program that exited must throw, not kill the engine with SIGPIPE.
    private static let ignoreBrokenPipes: Void = { signal(SIGPIPE, SIG_IGN) }()

    /// The program's process id.
    var processIdentifier: Int32 { process.processIdentifier }

    /// Writes `line` and a newline to the program's standard input.
    func send(_ line: String) throws {
        try input.write(contentsOf: Data((line + "\n").utf8))
    }

    /// The next line from the program's standard output (without its newline).
    /// - Throws: `End` when output closed, nothing came within `timeout`, or a line is too long.
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

    /// The exit status once the program has exited (waiting up to `grace`), else nil.
    func exitStatus(within grace: Duration) async -> String? {
        let deadline = ContinuousClock.now + grace
        while process.isRunning, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(5))
        }
        guard !process.isRunning else { return nil }
        switch process.terminationReason {
        case .exit: return "exited with status \(process.terminationStatus)"
        case .uncaughtSignal: return "was killed by signal \(process.terminationStatus)"
        @unknown default: return "ended with status \(process.terminationStatus)"
        }
    }

    /// Closes the program's input and waits up to `grace` for it to exit, then kills it.
    func stop(grace: Duration) async {
        try? input.close()
        if await exitStatus(within: grace) == nil { kill() }
    }

    /// Kills the program (SIGKILL). Its own children, if any, are not killed; the reader
    /// thread ends when the last of them closes the output.
    func kill() {
        if process.isRunning { _ = Foundation.kill(process.processIdentifier, SIGKILL) }
        try? input.close()
    }

    /// The reader thread: splits standard output into lines until it closes.
    private func read(_ output: FileHandle) {
        let descriptor = output.fileDescriptor
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = chunk.withUnsafeMutableBytes { Foundation.read(descriptor, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            let waiter: (CheckedContinuation<String, any Error>, Result<String, any Error>)? = state.withLock {
                if count <= 0 {
                    $0.closed = true
                } else {
                    for byte in chunk[0..<count] {
                        if byte == 0x0A {
                            var line = $0.buffer
                            if line.last == 0x0D { line.removeLast() }
                            $0.lines.append(String(decoding: line, as: UTF8.self))
                            $0.buffer.removeAll(keepingCapacity: true)
                        } else {
                            $0.buffer.append(byte)
                        }
                    }
                    if $0.buffer.count > Self.maximumLineLength { $0.tooLong = true }
                }
                guard let waiter = $0.waiter, let result = $0.take() else { return nil }
                $0.waiter = nil
                return (waiter, result)
            }
            if let (continuation, result) = waiter { continuation.resume(with: result) }
            if count <= 0 || state.withLock({ $0.tooLong }) { break }
        }
        try? output.close()
    }
}
