import Foundation
import PBTTestSupport
import Testing

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
