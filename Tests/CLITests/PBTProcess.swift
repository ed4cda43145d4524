import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The `pbt` executable built beside this test bundle, run as a child process.
enum PBTProcess {
    /// What a finished `pbt` printed and its exit status.
    struct Output {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// The `pbt` binary: in the directory of the test bundle or one of its parents (any
    /// `--scratch-path`), else `.build/debug/pbt` under the package root.
    static let executable: URL = {
        let runner = Bundle.main.executableURL ?? URL(fileURLWithPath: CommandLine.arguments[0])
        var directory = runner.deletingLastPathComponent()
        var candidates: [URL] = []
        for _ in 0..<6 {
            candidates.append(directory.appendingPathComponent("pbt"))
            directory = directory.deletingLastPathComponent()
        }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        candidates.append(root.appendingPathComponent(".build/debug/pbt"))
        var isDirectory: ObjCBool = false
        return candidates.first {
            FileManager.default.fileExists(atPath: $0.path, isDirectory: &isDirectory) && !isDirectory.boolValue
                && FileManager.default.isExecutableFile(atPath: $0.path)
        } ?? candidates.last!
    }()

    /// Starts `pbt arguments` in `directory`, standard output and error going to files there.
    static func start(_ arguments: [String], in directory: URL, tag: String = UUID().uuidString) throws -> Running {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = directory
        let out = directory.appendingPathComponent(".out-\(tag)"), err = directory.appendingPathComponent(".err-\(tag)")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        let running = Running(process: process, stdout: out, stderr: err)
        try process.run()
        return running
    }

    /// Runs `pbt arguments` in `directory` to its end.
    static func run(_ arguments: [String], in directory: URL) async throws -> Output {
        try await start(arguments, in: directory).finish()
    }

    /// A started `pbt` process.
    final class Running: @unchecked Sendable {
        let process: Process
        let stdout: URL
        let stderr: URL
        private let lock = NSLock()
        private var exited = false
        private var waiting: [CheckedContinuation<Void, Never>] = []

        init(process: Process, stdout: URL, stderr: URL) {
            self.process = process
            self.stdout = stdout
            self.stderr = stderr
            process.terminationHandler = { [self] _ in
                lock.lock()
                exited = true
                let resumed = waiting
                waiting = []
                lock.unlock()
                for continuation in resumed { continuation.resume() }
            }
        }

        /// Whether the process has exited.
        var hasExited: Bool {
            lock.lock()
            defer { lock.unlock() }
            return exited
        }

        /// Waits, without blocking a thread, until the process has exited.
        func waitForExit() async {
            await withCheckedContinuation { continuation in
                lock.lock()
                if exited {
                    lock.unlock()
                    continuation.resume()
                } else {
                    waiting.append(continuation)
                    lock.unlock()
                }
            }
        }

        /// Stops the process (SIGSTOP) until `resume()`.
        func stop() {
            kill(process.processIdentifier, SIGSTOP)
        }

        /// Lets the stopped process run for `slice`, then stops it again; the slice is timed on
        /// a dispatch thread, outside the cooperative pool that other tests may keep busy.
        func run(for slice: Duration) async {
            let microseconds = UInt32((slice / .microseconds(1)).rounded())
            await withCheckedContinuation { continuation in
                DispatchQueue.global().async { [process] in
                    kill(process.processIdentifier, SIGCONT)
                    usleep(microseconds)
                    kill(process.processIdentifier, SIGSTOP)
                    continuation.resume()
                }
            }
        }

        /// Kills the process with SIGKILL (no cleanup of any kind) and waits for it.
        func kill9() async {
            kill(process.processIdentifier, SIGKILL)
            await waitForExit()
        }

        /// Waits for the process to exit and removes its output files.
        func finish() async throws -> Output {
            await waitForExit()
            defer {
                try? FileManager.default.removeItem(at: stdout)
                try? FileManager.default.removeItem(at: stderr)
            }
            return Output(
                status: process.terminationStatus,
                stdout: String(decoding: try Data(contentsOf: stdout), as: UTF8.self),
                stderr: String(decoding: try Data(contentsOf: stderr), as: UTF8.self))
        }
    }
}
