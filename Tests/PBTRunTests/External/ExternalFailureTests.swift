import Foundation
import PBT
import PBTRuntime
import Testing

/// Every way an external program can fail is an `ExternalProgramError` naming the member,
/// the last line received and the log file.
@Suite("External program: failures")
struct ExternalFailureTests {
    /// Starts member 2's program in `mode`, runs one ready point, and returns the error.
    private func failure(_ mode: String, timeout: Double = 10) async throws -> (ExternalProgramError, ProgramFolder)? {
        let folder = try ProgramFolder()
        let program = try folder.workload(["MODE": mode], timeout: timeout)
        let trainable = try await program.makeTrainable(
            hyperparameters: Hyperparameters(["lr": 0.1]), seed: 1, member: 2)
        var caught: ExternalProgramError?
        do {
            try await trainable.train(steps: 4)
            _ = try await trainable.evaluate()
            _ = try await trainable.save()
        } catch let error as ExternalProgramError {
            caught = error
        }
        await trainable.close()
        guard let caught else {
            Issue.record("mode \(mode): no error")
            return nil
        }
        return (caught, folder)
    }

    @Test(arguments: [
        ("exit", ExternalProgramError.Code.exited, "exited with status 3"),
        ("garbage", .malformed, "not JSON"),
        ("unknown", .unexpectedMessage, "unknown message type 'trained'"),
        ("error", .programError, "out of memory"),
        ("missing", .missingField, "needs 'score'"),
        ("nan", .invalidScore, "NaN"),
        ("inf", .invalidScore, "Infinity"),
        ("nosave", .badCheckpoint, "nothing was written"),
        ("wrongpath", .badCheckpoint, "/elsewhere"),
        ("escape", .programError, #"\u{1B}[31mred\u{1B}[0m \u{9B}2J\u{7} tab"#),
        ("rawescape", .malformed, "not JSON"),
    ])
    func eachFailureNamesMemberLastLineAndLog(
        mode: String, code: ExternalProgramError.Code, phrase: String
    ) async throws {
        guard let (error, folder) = try await failure(mode) else { return }
        defer { folder.remove() }
        #expect(error.code == code, "\(error)")
        #expect(error.member == 2)
        #expect(error.logPath == folder.path + "/logs/member-2.log")
        #expect(error.description.contains(phrase), "\(error)")
        #expect(error.description.hasPrefix("member 2: ") && error.description.contains("log: \(error.logPath)"))
        if mode != "exit" { #expect(error.lastLine != nil) }
        // A relay thread copies the program's standard error to the log; `close` waits for it
        // a bounded time, which a loaded machine can outlast.
        var log = folder.log(member: 2)
        for _ in 0..<100 where !log.contains("misbehaving: \(mode)") {
            try await Task.sleep(for: .milliseconds(50))
            log = folder.log(member: 2)
        }
        #expect(log.contains("misbehaving: \(mode)"), "\(log)")
    }

    @Test(arguments: ["escape", "rawescape"])
    func programTextIsPrintedWithoutControlCharacters(mode: String) async throws {
        guard let (error, folder) = try await failure(mode) else { return }
        defer { folder.remove() }
        let controls = error.description.unicodeScalars.filter {
            ($0.value < 0x20 && $0 != "\n" && $0 != "\t") || (0x7F...0x9F).contains($0.value)
        }
        #expect(controls.isEmpty, "\(error)")
        #expect(error.description.contains(#"\u{1B}["#), "\(error)")
    }

    @Test func aHungProgramIsKilledAfterTheTimeout() async throws {
        guard let (error, folder) = try await failure("hang", timeout: 0.5) else { return }
        defer { folder.remove() }
        #expect(error.code == .timedOut)
        #expect(error.description.contains("within 0.5 s"))
        #expect(error.lastLine == #"{"type":"ok"}"#)  // the reply to set_hyperparameters
    }

    @Test func anUnknownProtocolVersionIsRefusedAtTheHandshake() async throws {
        let folder = try ProgramFolder()
        defer { folder.remove() }
        let program = try folder.workload(["REPLY_VERSION": "7"])
        await #expect {
            _ = try await program.makeTrainable(hyperparameters: Hyperparameters(["lr": 0.1]), seed: 1, member: 0)
        } throws: { error in
            guard let error = error as? ExternalProgramError else { return false }
            return error.code == .incompatible && error.description.contains("protocol 7")
        }
    }

    @Test func aProgramThatDoesNotReadATunedHyperparameterIsRefusedAtTheHandshake() async throws {
        let folder = try ProgramFolder()
        defer { folder.remove() }
        let program = try folder.workload(["READS": #""momentum","wd""#])
        await #expect {
            _ = try await program.makeTrainable(hyperparameters: Hyperparameters(["lr": 0.1]), seed: 1, member: 1)
        } throws: { error in
            guard let error = error as? ExternalProgramError else { return false }
            return error.code == .incompatible && error.recurs
                && error.description.contains(
                    #"the experiment tunes ["lr"], which the program does not read (it reads ["momentum", "wd"])"#)
        }
    }

    @Test func aMissingProgramIsReportedBeforeAnythingRuns() throws {
        let folder = try ProgramFolder()
        defer { folder.remove() }
        let spec = CommandSpec(arguments: ["no-such-program-pbt"], directory: folder.path)
        #expect(throws: PBTError.self) {
            _ = try ExternalProgram(spec: spec, experiment: "x", logDirectory: folder.path, hyperparameterNames: [])
        }
    }
}
