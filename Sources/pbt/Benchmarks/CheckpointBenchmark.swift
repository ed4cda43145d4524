import Foundation
import PBT
import PBTRuntime
import PBTSQLite
import PBTStore

/// A large checkpoint from a real external program, committed to and restored from a SQLite
/// store, beside `cp` of the same file: wall time as a ratio of `cp`'s, and how much the
/// process's peak resident memory grew.
enum CheckpointBenchmark {
    /// What one run measured.
    struct Result {
        /// The checkpoint's size in bytes (the program's file plus the archive header).
        var bytes: Int
        /// `cp` of the program's file just before the save, in seconds.
        var copy: Double
        /// `cp` of the program's file just before the restore, in seconds.
        var copyBeforeRestore: Double
        /// Save: the program's `save`, then its file moved into the checkpoint directory and
        /// hashed where it lies, in seconds.
        var save: Double
        /// Commit: syncing the staging file, renaming it in, and the row written, in seconds.
        var commit: Double
        /// Read back and restore (unpack while verifying, the program's `load`), in seconds.
        var restore: Double
        /// Peak resident memory during commit and restore, less the resident memory before, in bytes.
        var peakGrowth: Int
    }

    /// The program: `save` moves the copy the timed `cp` made (`$COPY`) to the save path, as a
    /// program's save leaves a fresh file of its own there (so the program's writing is that
    /// `cp`, and the engine's work is what is timed); `load` checks the loaded file's size.
    static let script = #"""
        #!/bin/sh
        field() { echo "$line" | sed -n "s/.*\"$1\":\"*\([^\",}]*\).*/\1/p"; }
        while IFS= read -r line; do
          case "$line" in
            *'"type":"hello"'*) echo \
        '{"type":"hello","protocol":1,"capabilities":["train","evaluate","save","load","set_hyperparameters"]}' ;;
            *'"type":"save"'*) path=$(field path); mv "$COPY" "$path"; echo "{\"type\":\"saved\",\"path\":\"$path\"}" ;;
            *'"type":"load"'*)
              if [ "$(wc -c < "$(field path)")" -eq "$(wc -c < "$BLOB")" ]; then echo '{"type":"ok"}'
              else echo '{"type":"error","message":"loaded a checkpoint of the wrong size"}'; fi ;;
            *'"type":"evaluate"'*) echo '{"type":"score","score":1}' ;;
            *'"type":"shutdown"'*) exit 0 ;;
            *) echo '{"type":"ok"}' ;;
          esac
        done
        """#

    /// Measures a checkpoint of `size` bytes in `scratch` (the program's file, made once from
    /// `/dev/urandom`, is kept there for later runs).
    static func run(size: Int, scratch: String) async throws -> Result {
        let manager = FileManager.default
        try manager.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        let blob = "\(scratch)/checkpoint-\(size).bin"
        if (try? manager.attributesOfItem(atPath: blob)[.size] as? Int) != size {
            try shell("head -c \(size) /dev/urandom > '\(blob)'")
        }
        let work = "\(scratch)/run-\(UUID().uuidString)"
        try manager.createDirectory(atPath: work, withIntermediateDirectories: true)
        defer { try? manager.removeItem(atPath: work) }
        _ = manager.createFile(atPath: "\(work)/program", contents: Data(script.utf8))

        // Every `cp` and every phase starts alike: just after a file of the checkpoint's size
        // was written and removed, with nothing left to write back (`sync`). This VM hands out
        // page cache that was not just freed several times more slowly (writing 2 GiB right
        // after a copy took 2.9–7.1 s; copying 2 GiB into memory just freed, 0.6–0.8 s), so
        // without this each timing measured where memory came from; and a phase that followed
        // unsynced writes would pay for writing them back.
        let settle = {
            try shell("cp '\(blob)' '\(work)/settle' && rm '\(work)/settle'")
            sync()
        }
        let copyNow = { (name: String) in
            try settle()
            return try seconds { try shell("cp '\(blob)' '\(work)/\(name)'") }
        }

        let spec = CommandSpec(
            arguments: ["/bin/sh", "program"], directory: work, environment: ["BLOB": blob, "COPY": "\(work)/copy-1"],
            timeout: 600)
        let program = try ExternalProgram(
            spec: spec, experiment: "bench", logDirectory: "\(work)/logs", hyperparameterNames: ["lr"])
        let store = try SQLiteStore(path: "\(work)/store.sqlite")
        let hyperparameters = Hyperparameters(["lr": 0.1])
        _ = try await store.create(
            ExperimentRecord(name: "bench", population: 1, configuration: "{}"), members: [hyperparameters])
        let trainable = try await program.makeTrainable(hyperparameters: hyperparameters, seed: 1, member: 0)
        guard case .claimed = try await store.claim(experiment: "bench", worker: "w", lease: .seconds(600)) else {
            throw PBTError.invalidSetting("bench", "the benchmark member could not be claimed")
        }

        let copy = try copyNow("copy-1")
        let before = try Memory.resetPeak()
        var payload = CheckpointPayload.bytes([])
        try settle()
        let save = try await seconds { payload = try await trainable.saveCheckpoint(in: store.checkpointStaging!) }
        defer { if case .file(let file) = payload { unlink(file.path) } }
        let point = ReadyPoint(
            experiment: "bench", member: 0, worker: "w", step: 1, score: 1, hyperparameters: hyperparameters,
            payload: payload)
        var id: Int64 = 0
        let commit = try await seconds {
            id = try await store.commit(point, scoreWindow: 1) { _ in [] }.checkpoint
            try await store.flush()
        }
        try? manager.removeItem(atPath: "\(work)/copy-1")  // moved into the store, unless the save failed
        let copyBeforeRestore = try copyNow("copy-2")
        try settle()
        let restore = try await seconds {
            try await trainable.restore(from: try await store.checkpoint(of: "bench", id: id).payload)
        }
        let peak = try Memory.peak()
        await trainable.close()
        try store.close()
        return Result(
            bytes: payload.size, copy: copy, copyBeforeRestore: copyBeforeRestore, save: save, commit: commit,
            restore: restore, peakGrowth: peak - before)
    }

    private static func shell(_ command: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw PBTError.invalidSetting("bench", "'\(command)' failed with status \(process.terminationStatus)")
        }
    }

    private static func seconds(_ body: () async throws -> Void) async rethrows -> Double {
        let clock = ContinuousClock()
        let start = clock.now
        try await body()
        let elapsed = (clock.now - start).components
        return Double(elapsed.seconds) + Double(elapsed.attoseconds) * 1e-18
    }

    private static func seconds(_ body: () throws -> Void) throws -> Double {
        let start = Date()
        try body()
        return Date().timeIntervalSince(start)
    }
}

/// This process's resident memory, from `/proc/self` (Linux).
enum Memory {
    /// Resets the peak (`VmHWM`) to the current resident size, and returns that size in bytes.
    static func resetPeak() throws -> Int {
        try Data("5".utf8).write(to: URL(fileURLWithPath: "/proc/self/clear_refs"))
        return try status("VmRSS")
    }

    /// The peak resident size since the last reset, in bytes.
    static func peak() throws -> Int {
        try status("VmHWM")
    }

    private static func status(_ field: String) throws -> Int {
        let text = try String(contentsOfFile: "/proc/self/status", encoding: .utf8)
        guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix(field + ":") }),
            let kilobytes = Int(line.split(separator: " ").dropFirst().first ?? "")
        else { throw PBTError.invalidSetting("bench", "no \(field) in /proc/self/status") }
        return kilobytes * 1024
    }
}
