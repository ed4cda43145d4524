import Foundation
import PBTTestSupport

/// Runs `arguments` (the first found on `PATH`) in `directory` (the repository's root unless
/// given), standard output and error together; waits without blocking a thread.
func shell(
    _ arguments: [String], environment: [String: String] = [:], directory: URL = repositoryRoot
) async throws -> (status: Int32, output: String) {
    let log = FileManager.default.temporaryDirectory.appendingPathComponent("pbt-shell-\(UUID().uuidString).log")
    _ = FileManager.default.createFile(atPath: log.path, contents: nil)
    defer { try? FileManager.default.removeItem(at: log) }
    let handle = try FileHandle(forWritingTo: log)
    defer { try? handle.close() }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = arguments
    process.currentDirectoryURL = directory
    process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    process.standardInput = FileHandle.nullDevice
    process.standardOutput = handle
    process.standardError = handle
    var launchError: (any Error)?
    await withCheckedContinuation { (finished: CheckedContinuation<Void, Never>) in
        process.terminationHandler = { _ in finished.resume() }
        do { try process.run() } catch {
            launchError = error
            process.terminationHandler = nil
            finished.resume()
        }
    }
    if let launchError { return (127, "cannot start \(arguments.joined(separator: " ")): \(launchError)") }
    return (process.terminationStatus, String(decoding: try Data(contentsOf: log), as: UTF8.self))
}

/// A temporary folder holding a copy of `examples/shell` (`climb.sh`, `climb.yaml`: experiment
/// `shell-climb`, 4 members × 40 steps), or nil, with the reason printed, without bash, jq
/// and awk.
func shellExample() throws -> TemporaryDirectory? {
    let path = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":")
    guard
        ["bash", "jq", "awk"].allSatisfy({ tool in
            path.contains { FileManager.default.isExecutableFile(atPath: "\($0)/\(tool)") }
        })
    else {
        print("skipped: the shell example needs bash, jq and awk")
        return nil
    }
    let directory = try TemporaryDirectory()
    for name in ["climb.sh", "climb.yaml"] {
        try FileManager.default.copyItem(
            at: repositoryRoot.appendingPathComponent("examples/shell/\(name)"),
            to: directory.url.appendingPathComponent(name))
    }
    return directory
}
