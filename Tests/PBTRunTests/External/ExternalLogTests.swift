import Foundation
import PBT
import PBTRuntime
import Testing

/// A member's log keeps everything each of its programs wrote, across restarts.
@Suite("External program: logs")
struct ExternalLogTests {
    /// Logs every request on standard error and answers it.
    /// A line ending in `\#` goes on at the next line's start (Swift's line continuation).
    static let script = #"""
        #!/bin/sh
        while IFS= read -r line; do
          echo "pid $$ got $line" >&2
          case "$line" in
            *'"type":"hello"'*)
              echo \#
        '{"type":"hello","protocol":1,"capabilities":["train","evaluate","save","load","set_hyperparameters"]}' ;;
            *'"type":"shutdown"'*) exit 0 ;;
            *) echo '{"type":"ok"}' ;;
          esac
        done
        """#

    @Test func aRestartAppendsToTheLogEvenWhileAnEarlierProgramStillWrites() async throws {
        let folder = try ProgramFolder(script: Self.script)
        defer { folder.remove() }
        let program = try folder.workload()
        let hyperparameters = Hyperparameters(["lr": 0.1])
        let first = try await program.makeTrainable(hyperparameters: hyperparameters, seed: 1, member: 0)
        // A restart of member 0 while its first program lives on (an orphan, say) and writes.
        let second = try await program.makeTrainable(hyperparameters: hyperparameters, seed: 1, member: 0)
        try await first.train(steps: 7)
        try await second.train(steps: 8)
        await first.close()
        await second.close()
        let log = folder.log(member: 0)
        #expect(log.components(separatedBy: "--- pbt: member 0: starting").count == 3, "\(log)")
        #expect(log.components(separatedBy: #""type":"hello""#).count == 3, "\(log)")
        #expect(log.contains(#""steps":7"#) && log.contains(#""steps":8"#), "\(log)")
    }
}
