import Foundation
import PBT
import PBTRuntime
import Testing

/// External programs start with the default signal mask and dispositions in a process group of
/// their own; the engine notices their exit at once and ends the whole group on stop.
@Suite("External program: signals and shutdown")
struct ExternalSignalTests {
    /// Starts member 0 of the program in `folder` with `environment`.
    private func start(
        _ folder: ProgramFolder, _ environment: [String: String] = [:], timeout: Double = 10
    ) async throws
        -> any Trainable
    {
        let program = try folder.workload(environment, timeout: timeout)
        return try await program.makeTrainable(hyperparameters: Hyperparameters(["lr": 0.1]), seed: 1, member: 0)
    }

    /// Starts the program in `folder`, asks it for a score and stops it.
    private func score(of folder: ProgramFolder) async throws -> Double {
        let trainable = try await start(folder)
        let score = try await trainable.evaluate()
        await trainable.close()
        return score
    }

    @Test func aTimeoutInsideTheProgramEndsItsCommand() async throws {
        guard ClientTests.succeeds("command -v python3 && command -v timeout") else {
            print("skipped: python3 and timeout are needed")
            return
        }
        let folder = try ProgramFolder(script: SignalProgram.python, interpreter: "python3")
        defer { folder.remove() }
        let status = try await score(of: folder)
        #expect(
            status == 143, "timeout --preserve-status 1 sleep 20 answered \(status); 0 means sleep never saw SIGTERM")
    }

    @Test func theProgramStartsWithNoSignalIgnored() async throws {
        let folder = try ProgramFolder(script: SignalProgram.shell)
        defer { folder.remove() }
        let ignored = try await score(of: folder)
        #expect(ignored == 0, "SigIgn of the program's child: \(String(Int(ignored), radix: 16))")
    }

    @Test func aProgramThatForksAndExitsFailsAtOnceAndItsChildEnds() async throws {
        let folder = try ProgramFolder(script: SignalProgram.shell)
        defer { folder.remove() }
        // The forked sleep keeps the program's output open: only the exit itself can tell.
        let trainable = try await start(folder, ["MODE": "fork"], timeout: 30)
        await #expect {
            try await trainable.train(steps: 1)
        } throws: { error in
            guard let error = error as? ExternalProgramError else { return false }
            return error.code == .exited && error.description.contains("exited with status 0")
        }
        await trainable.close()
        let child = try #require(folder.processIdentifier(in: "child.pid"))
        #expect(await SignalProgram.waitUntilEnded(child), "the forked sleep \(child) outlived its program")
    }

    @Test func stopSendsSIGTERMToTheWholeGroup() async throws {
        let folder = try ProgramFolder(script: SignalProgram.shell)
        defer { folder.remove() }
        let trainable = try await start(folder, ["MODE": "polite"])
        await trainable.close()
        #expect(folder.log(member: 0).contains("got TERM"), "\(folder.log(member: 0))")
        let child = try #require(folder.processIdentifier(in: "child.pid"))
        #expect(await SignalProgram.waitUntilEnded(child))
    }

    @Test func aProgramThatIgnoresSIGTERMIsKilledWithItsChildren() async throws {
        let folder = try ProgramFolder(script: SignalProgram.shell)
        defer { folder.remove() }
        let trainable = try await start(folder, ["MODE": "stubborn"])
        await trainable.close()
        let program = try #require(folder.processIdentifier(in: "program.pid"))
        let child = try #require(folder.processIdentifier(in: "child.pid"))
        #expect(SignalProgram.hasEnded(program))
        #expect(await SignalProgram.waitUntilEnded(child), "the program's sleep \(child) outlived it")
    }
}
