import Foundation
import Synchronization
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The `pbt` executable built beside the tests, run as a child process.
///
/// Its standard output and error go to two files of its own, not pipes: whatever it wrote is
/// all there once it has exited (a pipe may still hold the last of it), and a child it leaves
/// behind cannot keep a pipe open. The files are removed with the `PBTProcess`.
public final class PBTProcess: Sendable {
    /// What a finished `pbt` printed, and its exit status.
    public struct Output: Sendable {
        /// The exit status (the signal's number when a signal ended it).
        public var status: Int32
        /// Everything written to standard output.
        public var stdout: String
        /// Everything written to standard error.
        public var stderr: String
    }

    /// The `pbt` binary: `PBT_BINARY` if set, else in the directory of the test runner or one
    /// of its parents (any `--scratch-path`), else `.build/debug/pbt` under the repository.
    public static let executable: URL = candidates.first(where: isProgram) ?? candidates.last!

    /// Where `executable` looks, in order.
    private static let candidates: [URL] = {
        var candidates: [URL] = []
        if let path = ProcessInfo.processInfo.environment["PBT_BINARY"], !path.isEmpty {
            candidates.append(URL(fileURLWithPath: path))
        }
        let runner = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        for start in [Bundle.main.executableURL ?? runner, runner, Bundle.main.bundleURL] {
            var directory = start.deletingLastPathComponent()
            for _ in 0..<6 {
                let candidate = directory.appendingPathComponent("pbt")
                if !candidates.contains(candidate) { candidates.append(candidate) }
                directory = directory.deletingLastPathComponent()
            }
        }
        candidates.append(repositoryRoot.appendingPathComponent(".build/debug/pbt"))
        return candidates
    }()

    /// Whether `url` is an executable file (not a folder of that name).
    private static func isProgram(_ url: URL) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) && !isDirectory.boolValue
            && FileManager.default.isExecutableFile(atPath: url.path)
    }

    private let process: Process
    private let files: TemporaryDirectory
    private let stdoutFile: URL
    private let stderrFile: URL
    private let state = ExitState()

    /// Starts `pbt arguments…` in `directory` (the tests' own working directory when nil),
    /// with the tests' environment but `TMPDIR`, a folder of its own removed with it.
    ///
    /// - Throws: when there is no `pbt` executable to run, or it cannot be started.
    public init(_ arguments: [String], in directory: URL? = nil) throws {
        guard Self.isProgram(Self.executable) else {
            throw MissingExecutable(candidates: Self.candidates)
        }
        let process = Process()
        process.executableURL = Self.executable
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        files = try TemporaryDirectory()
        // Scratch folders the child makes (an external program's) go in `files` too, so a
        // child killed before it can remove them leaves nothing behind in the system's folder.
        process.environment = ProcessInfo.processInfo.environment.merging(["TMPDIR": files.path]) { $1 }
        stdoutFile = try files.write("stdout", "")
        stderrFile = try files.write("stderr", "")
        let stdout = try FileHandle(forWritingTo: stdoutFile)
        let stderr = try FileHandle(forWritingTo: stderrFile)
        // The child has its own copies once started: close these either way.
        defer {
            try? stdout.close()
            try? stderr.close()
        }
        process.standardOutput = stdout
        process.standardError = stderr
        process.terminationHandler = { [state] _ in state.exited() }
        self.process = process
        do { try process.run() } catch {
            files.remove()
            throw error
        }
    }

    deinit { files.remove() }

    /// Runs `pbt arguments…` in `directory` (the tests' own working directory when nil) to its
    /// end, however long that takes.
    public static func run(_ arguments: [String], in directory: URL? = nil) async throws -> Output {
        try await PBTProcess(arguments, in: directory).finish()
    }

    /// The process id.
    public var pid: Int32 { process.processIdentifier }

    /// Whether it has not exited yet.
    public var isRunning: Bool { process.isRunning }

    /// Everything written so far: standard error, then standard output.
    public var log: String {
        guard let output = try? output(status: 0) else { return "" }
        return output.stderr + output.stdout
    }

    /// Waits, without blocking a thread, until the process has exited.
    public func waitForExit() async {
        await state.wait()
    }

    /// Waits for the process to exit and returns its status; after `timeout`, kills it,
    /// records an issue with its log, and returns the status of the killed process.
    ///
    /// - Throws: `CancellationError` when the waiting task is cancelled (the process is killed).
    public func wait(timeout: Duration = .seconds(180)) async throws -> Int32 {
        let exited = await withTaskGroup(of: Bool.self) { group in
            group.addTask { [state] in
                await state.wait()
                return true
            }
            group.addTask {
                try? await Task.sleep(for: timeout)
                return false
            }
            let first = await group.next()!
            if !first { kill() }  // the first task then returns too
            group.cancelAll()
            return first
        }
        try Task.checkCancellation()
        if !exited {
            Issue.record("pbt \(process.arguments ?? []) did not finish within \(timeout); log:\n\(log)")
        }
        return process.terminationStatus
    }

    /// Waits for the process to exit, however long that takes, and returns what it printed.
    public func finish() async throws -> Output {
        await waitForExit()
        return try output(status: process.terminationStatus)
    }

    /// Kills it with SIGKILL (no cleanup of any kind); returns at once.
    public func kill() {
        signal(SIGKILL)
    }

    /// Stops it (SIGSTOP) until `resume()` or `run(for:)`.
    public func stop() {
        signal(SIGSTOP)
    }

    /// Lets a stopped process go on (SIGCONT).
    public func resume() {
        signal(SIGCONT)
    }

    /// Lets the stopped process run for `slice`, then stops it again; the slice is timed on a
    /// dispatch thread, outside the cooperative pool that other tests may keep busy.
    public func run(for slice: Duration) async {
        let microseconds = UInt32((slice / .microseconds(1)).rounded())
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async { [self] in
                resume()
                usleep(microseconds)
                stop()
                continuation.resume()
            }
        }
    }

    private func signal(_ signal: Int32) {
        _ = Foundation.kill(process.processIdentifier, signal)
    }

    private func output(status: Int32) throws -> Output {
        Output(
            status: status,
            stdout: String(decoding: try Data(contentsOf: stdoutFile), as: UTF8.self),
            stderr: String(decoding: try Data(contentsOf: stderrFile), as: UTF8.self))
    }
}

/// Whether a process has exited, and the tasks waiting for it to.
private final class ExitState: Sendable {
    private let state = Mutex((exited: false, waiting: [CheckedContinuation<Void, Never>]()))

    /// Marks the process exited and resumes every waiting task.
    func exited() {
        let waiting = state.withLock { state in
            state.exited = true
            defer { state.waiting = [] }
            return state.waiting
        }
        for continuation in waiting { continuation.resume() }
    }

    /// Returns once the process has exited.
    func wait() async {
        await withCheckedContinuation { continuation in
            let exited = state.withLock { state in
                if !state.exited { state.waiting.append(continuation) }
                return state.exited
            }
            if exited { continuation.resume() }
        }
    }
}

/// No `pbt` executable was found to run.
struct MissingExecutable: Error, CustomStringConvertible {
    let candidates: [URL]

    var description: String {
        "no pbt executable found (build it, or set PBT_BINARY); looked at \(candidates.map(\.path))"
    }
}
