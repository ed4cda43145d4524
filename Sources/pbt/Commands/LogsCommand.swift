import ArgumentParser
import Foundation
import PBTRuntime

/// `pbt logs NAME [--member N [--tail K]]`: an external program's member logs, listed or shown.
struct LogsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "logs",
        abstract:
            """
            List an external program's member logs, or print one member's (--member N; its last K lines with --tail K).
            """,
        discussion: """
            A member's log holds its program's standard error across every start, with a line naming each \
            start and each move of a live process between members. Logs are in NAME/logs beside a SQLite \
            store (runs/NAME/logs for the default store, for memory: and for PostgreSQL, under the working \
            directory of the process that ran the worker), or under --logs ROOT when `pbt run` or `pbt worker` \
            were given one: with workers on several machines, a folder they all share puts every member's \
            log in one place. Control characters in the program's text are shown as escapes (\\u{1B}). Reads \
            only; built-in workloads write no logs.
            """
    )

    @Argument(help: "The experiment's name.")
    var name: String

    @Option(help: "The member (slot) whose log to print (default: list the logs).")
    var member: Int?

    @Option(help: ArgumentHelp("With --member: only the last K lines.", valueName: "K"))
    var tail: Int?

    @OptionGroup var store: StoreOptions

    @OptionGroup var logs: LogOptions

    func validate() throws {
        if let member, member < 0 { throw ValidationError("--member must be 0 or more, got \(member)") }
        if let tail {
            guard tail >= 1 else { throw ValidationError("--tail must be 1 or more, got \(tail)") }
            guard member != nil else { throw ValidationError("--tail needs --member N") }
        }
    }

    func run() throws {
        let directory = ExternalLogs.directory(
            experiment: name, store: try store.location(experiment: name), root: logs.root)
        let files = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).compactMap {
            file -> Int? in
            guard file.hasPrefix("member-"), file.hasSuffix(".log") else { return nil }
            return Int(file.dropFirst("member-".count).dropLast(".log".count))
        }.sorted()
        guard !files.isEmpty else {
            throw CommandError(
                "no member logs for '\(name)' in \(directory): only external programs (workload: {command: …}) write "
                    + "logs, on the machine that ran them; give --logs ROOT if `pbt run` or `pbt worker` were given one"
            )
        }
        guard let member else {
            print("member  bytes        last written          log")
            let dates = ISO8601DateFormatter()
            for slot in files {
                let path = ExternalLogs.path(member: slot, in: directory)
                let attributes = try? FileManager.default.attributesOfItem(atPath: path)
                let size = (attributes?[.size] as? NSNumber)?.intValue ?? 0
                let written = (attributes?[.modificationDate] as? Date).map { dates.string(from: $0) } ?? "?"
                print(
                    String(format: "%6d  %-11d  ", slot, size)
                        + written.padding(toLength: 20, withPad: " ", startingAt: 0) + "  " + path)
            }
            return
        }
        guard files.contains(member) else {
            throw CommandError(
                "--member: no log for member \(member) of '\(name)' in \(directory); there are logs for members "
                    + files.map(String.init).joined(separator: ", "))
        }
        try Self.show(ExternalLogs.path(member: member, in: directory), lastLines: tail)
    }

    /// Writes the log at `path` (its last `lastLines` lines when given) to standard output, a
    /// chunk of whole lines at a time, control characters escaped.
    static func show(_ path: String, lastLines: Int?) throws {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw CommandError("cannot read \(path)") }
        defer { try? handle.close() }
        if let lastLines { try handle.seek(toOffset: try startOfLastLines(lastLines, in: handle)) }
        var carried = Data()
        while true {
            let chunk = try handle.read(upToCount: 1 << 20) ?? Data()
            carried.append(chunk)
            let end =
                chunk.isEmpty ? carried.endIndex : (carried.lastIndex(of: 0x0A).map { $0 + 1 } ?? carried.startIndex)
            if end > carried.startIndex {
                let text = String(decoding: carried[carried.startIndex..<end], as: UTF8.self)
                FileHandle.standardOutput.write(Data(ExternalProgramError.escapingControlCharacters(text).utf8))
                carried = Data(carried[end...])
            }
            if chunk.isEmpty { return }
        }
    }

    /// The offset of the first of the last `count` lines of the file `handle` reads (a final
    /// line without a newline counts as one).
    private static func startOfLastLines(_ count: Int, in handle: FileHandle) throws -> UInt64 {
        var position = try handle.seekToEnd()
        var newlines = 0
        var first = true
        while position > 0 {
            let size = min(UInt64(64 << 10), position)
            position -= size
            try handle.seek(toOffset: position)
            let block = try handle.read(upToCount: Int(size)) ?? Data()
            for index in block.indices.reversed() where block[index] == 0x0A {
                // The file's own final newline ends the last line; it does not start one.
                if first, index == block.endIndex - 1 { continue }
                newlines += 1
                if newlines == count { return position + UInt64(index - block.startIndex) + 1 }
            }
            first = false
        }
        return 0
    }
}
