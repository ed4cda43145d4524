import Foundation
import Testing

/// `pbt logs`: an external program's member logs, listed and shown from one folder.
@Suite("CLI: logs")
struct LogsCommandTests {
    @Test(
        "logs written under --logs ROOT are listed and shown, control characters escaped, the last K lines on request")
    func logsUnderASharedRootAreListedAndShown() async throws {
        guard let directory = try shellExample() else { return }
        defer { directory.remove() }
        try await pbt(["run", "climb.yaml", "--quiet", "--logs", "shared"], in: directory)
        let folder = directory.url.appendingPathComponent("shared/shell-climb/logs")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        #expect(names == (0..<4).map { "member-\($0).log" })
        #expect(!FileManager.default.fileExists(atPath: directory.url.appendingPathComponent("runs/shell-climb").path))

        let listing = try await pbt(["logs", "shell-climb", "--logs", "shared"], in: directory).stdout
        for member in 0..<4 { #expect(listing.contains("shared/shell-climb/logs/member-\(member).log")) }

        // What a program wrote to standard error, escape sequences included, ends the log.
        let log = folder.appendingPathComponent("member-2.log")
        let handle = try FileHandle(forWritingTo: log)
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("epoch 1 loss 0.5\n\u{1B}[31mred\u{1B}[0m\nlast line".utf8))
        try handle.close()
        let whole = try await pbt(["logs", "shell-climb", "--logs", "shared", "--member", "2"], in: directory).stdout
        #expect(whole.hasPrefix("--- pbt: member 2"))
        #expect(whole.hasSuffix("epoch 1 loss 0.5\n\\u{1B}[31mred\\u{1B}[0m\nlast line"))
        #expect(!whole.contains("\u{1B}"))
        let tail = try await pbt(
            ["logs", "shell-climb", "--logs", "shared", "--member", "2", "--tail", "2"], in: directory)
        #expect(tail.stdout == "\\u{1B}[31mred\\u{1B}[0m\nlast line")

        try await refuse(
            ["logs", "shell-climb", "--logs", "shared", "--member", "9"], in: directory,
            mentioning: ["--member", "members 0, 1, 2, 3"])
        try await refuse(
            ["logs", "shell-climb"], in: directory, mentioning: ["no member logs for 'shell-climb'", "--logs ROOT"])
        try await refuse(["logs", "shell-climb", "--tail", "3"], in: directory, mentioning: ["--tail needs --member"])
        try await refuse(
            ["logs", "shell-climb", "--member", "1", "--tail", "0"], in: directory,
            mentioning: ["--tail must be 1 or more"])
    }
}
