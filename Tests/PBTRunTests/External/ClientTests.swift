import Foundation
import PBT
import PBTRuntime
import PBTStore
import PBTTestSupport
import Testing

/// The clients that ship with the protocol, run end to end by `pbt run`'s code path: the
/// Python helper with the numpy digits example, and the bash + jq program.
@Suite("External program: clients", .serialized)
struct ClientTests {
    /// The repository's root folder.
    static let root = repositoryRoot.path

    /// Whether `command` exits 0 (run through `/bin/sh -c`).
    static func succeeds(_ command: String) -> Bool {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return false }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }

    /// Reads an experiment file, shrinks it, runs it in memory and returns the store.
    static func run(
        _ file: String, edit: (inout ExperimentConfig) throws -> Void
    ) async throws -> (ExperimentConfig, InMemoryStore) {
        var config = try ExperimentConfig(contentsOf: root + "/" + file)
        try edit(&config)
        let logs = NSTemporaryDirectory() + "pbt-client-logs-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: logs) }
        var program = try ExternalProgram(
            spec: config.workload.command!, experiment: config.name, logDirectory: logs,
            hyperparameterNames: config.hyperparameters.keys.sorted())
        program.timeBudgets = config.schedule.isTimeBased
        let store = InMemoryStore()
        try await LocalRunner(config: config, store: store, workload: program).run(workers: 2)
        return (config, store)
    }

    /// With step intervals (protocol 1's requests) and with a time budget (protocol 2: the
    /// client trains until the budget and reports the steps done).
    @Test(arguments: [false, true])
    func theNumpyDigitsExampleIsTunedEndToEnd(timeBased: Bool) async throws {
        guard Self.succeeds("python3 -c 'import numpy'") else {
            print("skipped: python3 with numpy is not available")
            return
        }
        let budget = timeBased ? 150 : 200
        let (config, store) = try await Self.run("examples/python/digits.yaml") {
            $0.schedule =
                try timeBased
                ? TrainingSchedule(steps: budget, seconds: 0.05) : TrainingSchedule(steps: budget, interval: 50)
        }
        let members = try await store.members(of: config.name)
        #expect(members.count == 4)
        for member in members { #expect(member.status == .done && member.step == budget && member.failures == 0) }
        #expect(try await store.scores(of: config.name).allSatisfy { (1...budget).contains($0.step) })
        guard !timeBased else { return }
        let summary = try await RunSummary(experiment: config.name, store: store, mode: .max)
        #expect((summary.best?.score ?? 0) > 0.8, "validation accuracy \(summary.best?.score ?? 0)")
    }

    @Test func aVersion1ProgramIsRefusedForTimeBudgets() async throws {
        guard Self.succeeds("command -v bash && command -v jq") else {
            print("skipped: bash and jq are needed for examples/shell/climb.sh")
            return
        }
        let (config, store) = try await Self.run("examples/shell/climb.yaml") {
            $0.schedule = try TrainingSchedule(steps: 40, seconds: 0.01)
        }
        let members = try await store.members(of: config.name)
        #expect(members.allSatisfy { $0.status == .failed && $0.failures == 1 }, "incompatible: no retry")
        #expect(try await store.scores(of: config.name).isEmpty)
    }

    @Test func theBashClientSpeaksTheSameProtocol() async throws {
        guard Self.succeeds("command -v bash && command -v jq") else {
            print("skipped: bash and jq are needed for examples/shell/climb.sh")
            return
        }
        let (config, store) = try await Self.run("examples/shell/climb.yaml") { _ in }
        let summary = try await RunSummary(experiment: config.name, store: store, mode: .max)
        for member in summary.members { #expect(member.status == .done && member.step == config.schedule.steps) }
        #expect((summary.best?.score ?? -1) > -0.01, "best score \(summary.best?.score ?? -1)")
        #expect(summary.exploits > 0)
    }
}
