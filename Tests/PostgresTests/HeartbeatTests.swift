import Foundation
import PBT
import PBTPostgres
import PBTRuntime
import PBTStore
import Testing

/// Steps longer than the lease keep their member: the worker's heartbeat renews the lease on
/// a thread of its own even while training blocks every core.
@Suite("PostgreSQL: heartbeats")
struct HeartbeatTests {
    // The limit is a safety net only: under the full suite's load the child process took 264 s.
    @Test(.enabled(if: TestServer.url != nil, TestServer.skipReason), .timeLimit(.minutes(10)))
    func longStepsKeepTheirLease() async throws {
        // In a process of its own: the blocked threads would stall the other suites, and
        // their load (all PostgreSQL stores of a process share one event loop) would delay this
        // test's renewals by seconds — a lapse that says nothing about the heartbeat.
        let result = await #expect(processExitsWith: .success, observing: [\.standardErrorContent]) {
            await ChildProcess.run("heartbeat test: ") {
                for lapse in try await Self.runSlowExperiment() { ChildProcess.write("heartbeat test: ", lapse) }
            }
        }
        let problems = ChildProcess.problems(result, "heartbeat test: ")
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
    }

    /// Runs four members of two steps of 6 s each with a lease of 3 s; returns the claims that
    /// did not end committed within their lease.
    private static func runSlowExperiment() async throws -> [String] {
        let store = PostgresStore(try PostgresLocation(url: try TestServer.freshURL()), connections: 4)
        defer { store.close() }
        let config = try ExperimentConfig(
            yaml: """
                name: slow
                workload: sleepy
                population: 4
                steps: 2
                interval: 1
                exploit: {strategy: none}
                explore: {strategy: none}
                hyperparameters:
                  h0: {uniform: [0, 1]}
                """)
        let runner = try LocalRunner(config: config, store: store, workload: SleepyWorkload(stepSeconds: 6))
        // More workers than cores, each blocking its thread for twice the lease per step.
        try await runner.run(workers: 2 * ProcessInfo.processInfo.activeProcessorCount, lease: .seconds(3))

        let claims = try await store.claims(of: "slow")
        var lapses = claims.count == 8 ? [] : ["\(claims.count) claims, not 8"]
        for claim in claims {
            guard claim.outcome == .committed, let ended = claim.ended else {
                lapses.append("member \(claim.member)'s claim ended \(String(describing: claim.outcome))")
                continue
            }
            if claim.expires < ended {
                lapses.append("member \(claim.member)'s lease lapsed \(ended - claim.expires) s before its commit")
            }
        }
        return lapses
    }
}

/// A workload whose every step blocks its thread (as CPU-bound training does).
struct SleepyWorkload: Workload {
    let stepSeconds: Double

    var hyperparameterNames: [String] { ["h0"] }

    func makeTrainable(hyperparameters: Hyperparameters, seed: UInt64) async throws -> any Trainable {
        SleepyTrainable(stepSeconds: stepSeconds)
    }
}

/// Counts steps; each takes `stepSeconds` of blocked thread.
final class SleepyTrainable: Trainable {
    let stepSeconds: Double
    var steps = 0

    init(stepSeconds: Double) {
        self.stepSeconds = stepSeconds
    }

    func apply(_ hyperparameters: Hyperparameters) async throws {}

    func train(steps: Int) async throws {
        usleep(UInt32(stepSeconds * Double(steps) * 1_000_000))
        self.steps += steps
    }

    func evaluate() async throws -> Double { Double(steps) }

    func save() async throws -> [UInt8] { [UInt8(truncatingIfNeeded: steps)] }

    func restore(from checkpoint: [UInt8]) async throws { steps = Int(checkpoint.first ?? 0) }
}
