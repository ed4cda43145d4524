import Foundation
import Synchronization
import Testing

/// A `pbt` child process whose standard error and output are collected.
final class PBTProcess: Sendable {
    private let process: Process
    private let collected = Collected()

    /// Starts `pbt arguments…`.
    init(_ arguments: [String]) throws {
        let process = Process()
        process.executableURL = try PBTProcess.binary()
        process.arguments = arguments
        let pipe = Pipe()
        process.standardError = pipe
        process.standardOutput = pipe
        self.process = process
        pipe.fileHandleForReading.readabilityHandler = { [collected] handle in
            let data = handle.availableData
            collected.data.withLock { $0.append(data) }
        }
        try process.run()
    }

    /// The process id.
    var pid: Int32 { process.processIdentifier }

    /// Whether it has not exited yet.
    var isRunning: Bool { process.isRunning }

    /// Everything written to standard error and output so far.
    var log: String { String(decoding: collected.data.withLock { $0 }, as: UTF8.self) }

    /// Kills it with SIGKILL.
    func kill() {
        _ = Foundation.kill(process.processIdentifier, SIGKILL)
    }

    /// Stops it (SIGSTOP) until `resume()`.
    func stop() {
        _ = Foundation.kill(process.processIdentifier, SIGSTOP)
    }

    /// Lets a stopped process go on (SIGCONT).
    func resume() {
        _ = Foundation.kill(process.processIdentifier, SIGCONT)
    }

    /// Waits for it to exit (polling, so the test's thread is not blocked) and returns its
    /// status; kills it and records an issue after `timeout`.
    func wait(timeout: Duration = .seconds(180)) async throws -> Int32 {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning {
            guard ContinuousClock.now < deadline else {
                kill()
                Issue.record("pbt \(process.arguments ?? []) did not finish within \(timeout); log:\n\(log)")
                break
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// The `pbt` executable: `PBT_BINARY`, else beside the test bundle, else under `.build`.
    static func binary() throws -> URL {
        var candidates: [URL] = []
        if let path = ProcessInfo.processInfo.environment["PBT_BINARY"] {
            candidates.append(URL(fileURLWithPath: path))
        }
        let executable = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        for start in [executable, Bundle.main.bundleURL] {
            var directory = start.deletingLastPathComponent()
            for _ in 0..<4 {
                candidates.append(directory.appendingPathComponent("pbt"))
                directory = directory.deletingLastPathComponent()
            }
        }
        candidates.append(TestServer.repository.appendingPathComponent(".build/debug/pbt"))
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) else {
            Issue.record("no pbt executable found; looked at \(candidates.map(\.path))")
            throw CancellationError()
        }
        return found
    }
}

/// A child's output, appended from the pipe's handler.
private final class Collected: Sendable {
    let data = Mutex(Data())
}

/// Writes a quadratic experiment file and returns its path.
func quadraticExperiment(
    name: String, population: Int, steps: Int, interval: Int = 4, in directory: String
) throws -> String {
    let path = directory + "/\(name).yaml"
    let text = """
        name: \(name)
        workload: {name: quadratic, step_size: 0.02}
        population: \(population)
        steps: \(steps)
        interval: \(interval)
        seed: 7
        exploit: {strategy: truncation, fraction: 0.25}
        explore: {strategy: perturb, factors: [0.8, 1.2]}
        hyperparameters:
          h0: {uniform: [0, 1]}
          h1: {uniform: [0, 1]}

        """
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    return path
}

/// A directory under the system's temporary directory, removed by `remove()`.
struct ScratchDirectory {
    let path: String

    init() throws {
        path = NSTemporaryDirectory() + "pbt-postgres-tests-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }
}
