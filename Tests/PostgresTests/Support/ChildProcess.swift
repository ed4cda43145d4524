import Foundation
import Testing

/// What the exit tests of this module share: each runs its checks in a child process, which
/// reports a problem as a line of its standard error starting with the test's prefix.
enum ChildProcess {
    /// Runs `body` in the child, writing an error it throws as a problem line: an exit test's
    /// body that throws ends the child with SIGILL, and the error's text is lost.
    static func run(_ prefix: String, _ body: () async throws -> Void) async {
        do { try await body() } catch { write(prefix, "threw \(error)") }
    }

    /// Writes `message`, on one line after `prefix`, to standard error.
    static func write(_ prefix: String, _ message: String) {
        let line = message.replacingOccurrences(of: "\n", with: " | ")
        FileHandle.standardError.write(Data((prefix + line + "\n").utf8))
    }

    /// The problem lines the child wrote (not the rest: a PostgreSQL server's tools write to
    /// standard error too) and, when the child did not exit normally, the end of all it wrote,
    /// which says why.
    static func problems(_ result: ExitTest.Result?, _ prefix: String) -> [String] {
        guard let result else { return [] }
        let output = String(decoding: result.standardErrorContent, as: UTF8.self)
        var problems = output.split(separator: "\n").filter { $0.hasPrefix(prefix) }.map(String.init)
        if case .exitCode(EXIT_SUCCESS) = result.exitStatus {
            return problems
        }
        problems.append("the child ended with \(result.exitStatus); its standard error ended with:")
        problems.append(String(output.suffix(4000)))
        return problems
    }
}
