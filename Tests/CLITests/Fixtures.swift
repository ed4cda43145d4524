import Foundation
import Testing

/// A fresh directory under the system's temporary folder, removed by `remove()`.
struct TemporaryDirectory {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("pbt-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    var path: String { url.path }

    /// Writes `text` to `name` in the directory.
    func write(_ name: String, _ text: String) throws {
        try Data(text.utf8).write(to: url.appendingPathComponent(name))
    }

    /// The names in the directory (sorted) and each regular file's bytes: what "nothing
    /// written" compares.
    func snapshot() throws -> [String: Data] {
        var result: [String: Data] = [:]
        let files = FileManager.default
        for name in try files.contentsOfDirectory(atPath: path) {
            var isDirectory: ObjCBool = false
            let full = url.appendingPathComponent(name).path
            _ = files.fileExists(atPath: full, isDirectory: &isDirectory)
            result[name] = isDirectory.boolValue ? Data("<directory>".utf8) : files.contents(atPath: full) ?? Data()
        }
        return result
    }

    func remove() {
        try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
        try? FileManager.default.removeItem(at: url)
    }
}

/// A quadratic experiment file: `population` members, `steps` steps, ready every `interval`.
func quadraticExperiment(name: String, population: Int, steps: Int, interval: Int, seed: Int = 7) -> String {
    """
    name: \(name)
    workload: {name: quadratic, step_size: 0.0001}
    population: \(population)
    steps: \(steps)
    interval: \(interval)
    seed: \(seed)
    exploit: {strategy: truncation, fraction: 0.25}
    explore: {strategy: resample, probability: 0.25, factors: [0.8, 1.2]}
    hyperparameters:
      h0: {uniform: [0, 1]}
      h1: {uniform: [0, 1]}

    """
}

/// Runs `pbt` and records an issue (with its output) unless it exits with `expected`.
@discardableResult
func pbt(
    _ arguments: [String], in directory: TemporaryDirectory, expect expected: Int32 = 0,
    sourceLocation: SourceLocation = #_sourceLocation
) async throws -> PBTProcess.Output {
    let output = try await PBTProcess.run(arguments, in: directory.url)
    #expect(
        output.status == expected,
        "pbt \(arguments.joined(separator: " ")) exited \(output.status): \(output.stderr)",
        sourceLocation: sourceLocation)
    return output
}

/// Runs `pbt arguments` in `directory`, expecting failure with every one of `words` in the
/// message and the directory unchanged.
/// With `sameBytes` false, only the set of files must stay the same (opening a store for
/// writing may rewrite its header even when the command then refuses to run).
func refuse(
    _ arguments: [String], in directory: TemporaryDirectory, mentioning words: [String], sameBytes: Bool = true,
    sourceLocation: SourceLocation = #_sourceLocation
) async throws {
    let before = try directory.snapshot()
    let output = try await PBTProcess.run(arguments, in: directory.url)
    let command = "pbt " + arguments.joined(separator: " ")
    #expect(output.status != 0, "\(command) should fail", sourceLocation: sourceLocation)
    for word in words {
        #expect(
            output.stderr.contains(word), "\(command): '\(output.stderr)' should mention '\(word)'",
            sourceLocation: sourceLocation)
    }
    let after = try directory.snapshot()
    if sameBytes {
        #expect(after == before, "\(command) wrote something", sourceLocation: sourceLocation)
    } else {
        #expect(
            after.keys.sorted() == before.keys.sorted(), "\(command) created or removed files",
            sourceLocation: sourceLocation)
    }
}
