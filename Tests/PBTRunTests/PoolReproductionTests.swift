import Foundation
import PBT
import PBTRuntime
import PBTStore
import PBTWorkloads
import Testing

/// Built-in workloads train the same whether a member continues in its own live trainable or
/// has its checkpoint restored into another member's: with one worker, a pool of one
/// trainable and a pool of one per member give bit-identical scores and events.
@Suite("Trainable pool: built-in workloads reproduce")
struct PoolReproductionTests {
    static let workloads = [
        """
        {name: cartpole, hidden: 16, envs: 2}
        hyperparameters:
          lr: {loguniform: [1.0e-4, 1.0e-2]}
          unroll: {int: [2, 8]}
        """,
        """
        {name: digits, hidden: 16, batch: 16}
        hyperparameters:
          lr: {loguniform: [1.0e-4, 1.0e-1]}
          dropout: {uniform: [0, 0.5]}
        """,
        """
        {name: gan, hidden: 16, batch: 16, eval_samples: 64}
        hyperparameters:
          lr_d: {loguniform: [1.0e-4, 1.0e-2]}
          lr_g: {loguniform: [1.0e-4, 1.0e-2]}
        """,
    ]

    @Test(arguments: workloads)
    func onePooledTrainableTrainsLikeOnePerMember(workload: String) async throws {
        let config = try ExperimentConfig(
            yaml: """
                name: pooled
                population: 4
                steps: 60
                interval: 10
                seed: 5
                exploit: {strategy: truncation, fraction: 0.25}
                explore: {strategy: perturb, factors: [0.8, 1.2]}
                workload: \(workload)
                """)
        func run(pool: Int) async throws -> (scores: [ScoreRecord], events: [ExploitEvent], starts: Int) {
            let store = InMemoryStore()
            let runner = try LocalRunner(
                config: config, store: store, workload: try BuiltinWorkloads.make(config.workload))
            let starts = try await runner.run(workers: 1, pool: pool)
            return (try await store.scores(of: "pooled"), try await store.events(of: "pooled"), starts)
        }
        let shared = try await run(pool: 1)
        let own = try await run(pool: 4)
        #expect(shared.scores.map(\.score.bitPattern) == own.scores.map(\.score.bitPattern))
        #expect(shared.scores.map(\.step) == own.scores.map(\.step))
        #expect(shared.events.map(\.untimed) == own.events.map(\.untimed))
        #expect(shared.events.contains { $0.isExploit })
        #expect(shared.starts == 4 && own.starts == 4)
    }
}
