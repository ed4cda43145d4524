import Foundation
import PBT
import PBTRuntime
import PBTSQLite
import PBTStore
import Testing

/// An external program whose checkpoints are 40 MiB, through the real worker and a SQLite
/// store: they stream to files beside the database, and a restarted member loads one back.
@Suite("External program: large checkpoints")
struct ExternalLargeCheckpointTests {
    /// The fake program, saving its counter followed by the 40 MiB `big.bin`, loading the
    /// counter back from the first line.
    static let script = FakeProgram.script
        .replacingOccurrences(of: #"echo "$x" > "$path";"#, with: #"{ echo "$x"; cat big.bin; } > "$path";"#)
        .replacingOccurrences(of: #"x=$(cat "$(field path)")"#, with: #"x=$(head -n 1 "$(field path)")"#)

    /// `script`, which with `CORRUPT` set alters, before it dies on purpose, one byte inside
    /// every checkpoint file of step 10 in `$CORRUPT` (same size: only the SHA-256 shows it).
    static let corruptingScript =
        script
        .replacingOccurrences(
            of: #"exit) echo "dying on purpose""#, with: #"exit) [ -z "$CORRUPT" ] || corrupt; echo "dying on purpose""#
        )
        .replacingOccurrences(
            of: "#!/bin/sh\n",
            with: #"""
                #!/bin/sh
                corrupt() {
                  for f in "$CORRUPT"/*; do
                    [ "$(dd if="$f" bs=1 count=3 2>/dev/null)" = "10" ] || continue
                    printf 'X' | dd of="$f" bs=1 seek=1000 conv=notrunc 2>/dev/null
                  done
                }

                """#)

    /// Runs the 2-member, 20-step experiment (ready every 5) on `folder`'s program with a
    /// 40 MiB `big.bin`, member 1 dying once at its 3rd train, into a SQLite store there (each
    /// member has a program of its own: requests are counted per program).
    private func run(_ folder: ProgramFolder, _ environment: [String: String] = [:]) async throws -> SQLiteStore {
        #expect(FileManager.default.createFile(atPath: folder.path + "/big.bin", contents: Data(count: 40 << 20)))
        let program = try folder.workload(
            ["MODE": "exit", "FAIL_AT": "3", "ONCE": "1", "FAIL_MEMBER": "1"].merging(environment) { $1 })
        let config = ExperimentConfig(
            name: "fake", workload: WorkloadSpec(command: program.spec), population: 2,
            schedule: try TrainingSchedule(steps: 20, interval: 5), exploit: .none, explore: .none,
            hyperparameters: ["lr": .uniform(lower: 0, upper: 1)])
        let store = try SQLiteStore(path: folder.path + "/store.sqlite")
        try await LocalRunner(config: config, store: store, workload: program).run(workers: 1, pool: 2)
        try store.close()
        return try SQLiteStore(path: folder.path + "/store.sqlite", create: false)
    }

    @Test func aMemberWhoseCheckpointFileIsCorruptFallsBackToAnEarlierOne() async throws {
        let folder = try ProgramFolder(script: Self.corruptingScript)
        defer { folder.remove() }
        let store = try await run(folder, ["CORRUPT": folder.path + "/store.sqlite-checkpoints"])
        defer { try? store.close() }
        let fallbacks = try await store.fallbacks(of: "fake")
        #expect(fallbacks.map(\.member) == [1] && fallbacks.first?.fromStep == 10 && fallbacks.first?.toStep == 5)
        #expect(fallbacks.first?.reason.contains("corrupt") == true)
        for member in try await store.members(of: "fake") {
            // Member 1 trained on from step 5's state: 5 + 15 steps.
            #expect(member.status == .done && member.step == 20 && member.score == 20)
        }
    }

    @Test func aMemberRestartsFromAFileCheckpointAndOnlyReferencedFilesRemain() async throws {
        #expect(Self.script != FakeProgram.script)
        let folder = try ProgramFolder(script: Self.script)
        defer { folder.remove() }
        // Member 1 dies once at its 3rd train: it restarts from its step-10 checkpoint file.
        let reader = try await run(folder)
        defer { try? reader.close() }
        let path = folder.path + "/store.sqlite"
        let members = try await reader.members(of: "fake")
        #expect(members[1].failures == 1)
        let names = try FileManager.default.contentsOfDirectory(atPath: path + "-checkpoints")
        // Retention (keep 2) left at most the newest two of each member's; no staging files.
        #expect(names.count <= 4 && names.allSatisfy { $0.utf8.count == 64 })
        for member in members {
            // score == steps trained only if the restarted program loaded step 10's state.
            #expect(member.status == .done && member.step == 20 && member.score == 20)
            let checkpoint = try await reader.checkpoint(of: "fake", id: try #require(member.checkpoint))
            guard case .file(let file) = checkpoint.payload else {
                Issue.record("a 40 MiB checkpoint is not a file")
                continue
            }
            #expect(file.size > 40 << 20 && names.contains(file.sha256))
        }
        let size = try #require(try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
        #expect(size < 1 << 20)
    }
}
