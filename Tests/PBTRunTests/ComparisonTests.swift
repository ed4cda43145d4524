import PBT
import PBTRuntime
import PBTStore
import PBTWorkloads
import Testing

@Suite("Comparison: arms, the best fixed configuration, stored runs")
struct ComparisonTests {
    /// A small quadratic experiment.
    private func config(population: Int = 4, mode: ScoreMode = .max) throws -> ExperimentConfig {
        ExperimentConfig(
            name: "toy", workload: WorkloadSpec(name: "quadratic", options: ["step_size": 0.02]),
            population: population,
            schedule: try TrainingSchedule(steps: 40, interval: 4), mode: mode, seed: 3,
            exploit: .truncation(fraction: 0.25), explore: .perturb(factors: [0.8, 1.2]),
            hyperparameters: ["h0": .logUniform(lower: 0.01, upper: 1), "h1": .uniform(lower: 0, upper: 1)])
    }

    private func run(_ comparison: Comparison, in store: any PopulationStore) async throws -> ComparisonSummary {
        try await comparison.run(store: store, concurrentRuns: 2, workload: { try BuiltinWorkloads.make($0.workload) })
    }

    @Test("each arm configures its run: names, seeds, strategies, the fixed arm's members")
    func configurations() throws {
        let base = try config()
        let fixed = FixedConfiguration(
            hyperparameters: Hyperparameters(["h0": 0.5, "h1": 0.25]), experiment: "toy.random.seed4", member: 2,
            score: 1)
        let pbt = try ComparisonArm.pbt.configuration(of: base, seed: 9)
        #expect(
            pbt.name == "toy.pbt.seed9" && pbt.seed == 9 && pbt.exploit == base.exploit && pbt.explore == base.explore)
        let random = try ComparisonArm.random.configuration(of: base, seed: 9)
        #expect(
            random.name == "toy.random.seed9" && random.exploit == .none && random.explore == .none
                && random.initial.isEmpty)
        let fixedRun = try ComparisonArm.fixed.configuration(of: base, seed: 9, fixed: fixed)
        #expect(fixedRun.name == "toy.fixed.seed9" && fixedRun.exploit == .none && fixedRun.explore == .none)
        #expect(fixedRun.initial == Array(repeating: fixed.hyperparameters, count: 4))
        #expect(throws: ComparisonError.self) { try ComparisonArm.fixed.configuration(of: base, seed: 9) }
        let pb2 = try ComparisonArm.pb2.configuration(of: base, seed: 9)
        #expect(pb2.name == "toy.pb2.seed9" && pb2.exploit == base.exploit && pb2.explore == .pb2(PB2Settings()))
    }

    @Test("a PB2 arm runs beside PBT and random search on the same seeds; its runs explore by suggestion")
    func pb2Arm() async throws {
        let store = InMemoryStore()
        let comparison = try Comparison(config: try config(), firstSeed: 3, seeds: 2, arms: [.pbt, .pb2, .random])
        let summary = try await run(comparison, in: store)
        #expect(summary.arms.map(\.arm) == [.pbt, .pb2, .random])
        #expect(summary.arms[1].versusPBT != nil && summary.arms[1].runs.map(\.seed) == [3, 4])
        for seed in comparison.seeds {
            let events = try await store.events(of: "toy.pb2.seed\(seed)")
            #expect(events.contains { $0.explanation != nil }, "no PB2 suggestion in seed \(seed)")
        }
    }

    @Test("the fixed arm starts from the best member of every random run and keeps it")
    func fixedIsTheBestRandomMember() async throws {
        let store = InMemoryStore()
        let comparison = try Comparison(config: try config(), firstSeed: 10, seeds: 3)
        let summary = try await run(comparison, in: store)
        #expect(summary.seeds == [10, 11, 12] && summary.arms.map(\.arm) == [.pbt, .random, .fixed])
        let best = try await bestMember(of: comparison.seeds.map { "toy.random.seed\($0)" }, in: store, mode: .max)
        let fixed = try #require(summary.fixedConfiguration)
        #expect(fixed.score == best.score && fixed.hyperparameters == best.hyperparameters)
        for seed in comparison.seeds {
            let members = try await store.members(of: "toy.fixed.seed\(seed)")
            #expect(
                members.allSatisfy {
                    $0.initialHyperparameters == fixed.hyperparameters && $0.hyperparameters == fixed.hyperparameters
                })
            #expect(try await store.events(of: "toy.fixed.seed\(seed)").isEmpty)
        }
        for arm in summary.arms {
            for run in arm.runs {
                #expect(run.best == (try await store.members(of: run.experiment).compactMap(\.score).max()))
            }
        }
    }

    @Test("with mode: min the best fixed configuration and each run's best are the lowest scores")
    func lowerIsBetter() async throws {
        // Random-search runs only: on the quadratic the earliest states score lowest, and PBT with
        // mode: min keeps copying members back to them without end (a scheduler issue of its own).
        let store = InMemoryStore()
        let base = try config(mode: .min)
        var names: [String] = []
        for seed: UInt64 in [1, 2] {
            let variant = try ComparisonArm.random.configuration(of: base, seed: seed)
            try await LocalRunner(config: variant, store: store, workload: try BuiltinWorkloads.make(variant.workload))
                .run(workers: 1)
            names.append(variant.name)
            let run = try await ArmSummary.Run(experiment: variant.name, seed: seed, store: store, mode: .min)
            #expect(run.best == (try await store.members(of: variant.name).compactMap(\.score).min()))
        }
        let best = try await bestMember(of: names, in: store, mode: .min)
        let fixed = try #require(try await FixedConfiguration.best(of: names, in: store, mode: .min))
        #expect(fixed.score == best.score && fixed.hyperparameters == best.hyperparameters)
    }

    /// The best member over `experiments` by brute force.
    private func bestMember(
        of experiments: [String], in store: InMemoryStore, mode: ScoreMode
    ) async throws
        -> (score: Double, hyperparameters: Hyperparameters)
    {
        var candidates: [(score: Double, hyperparameters: Hyperparameters)] = []
        for experiment in experiments {
            for member in try await store.members(of: experiment) {
                candidates.append((member.score!, member.hyperparameters))
            }
        }
        return try #require(candidates.max { mode.fitness($0.score) < mode.fitness($1.score) })
    }

    @Test("a store holding the comparison with another configuration is refused naming the fields; the same passes")
    func storedRuns() async throws {
        let store = InMemoryStore()
        let comparison = try Comparison(config: try config(), seeds: 1)
        _ = try await run(comparison, in: store)
        try await comparison.checkStoredRuns(in: store, location: "memory:")
        try await Comparison(config: try config(), firstSeed: 50, seeds: 2).checkStoredRuns(
            in: store, location: "memory:")
        let error = await #expect(throws: ComparisonError.self) {
            try await Comparison(config: try config(population: 5), seeds: 1).checkStoredRuns(
                in: store, location: "memory:")
        }
        #expect(error?.code == .storeHoldsAnotherConfiguration)
        #expect(
            error?.message.contains("population: 4 → 5") == true && error?.message.contains("toy.pbt.seed3") == true)
    }

    @Test("settings a comparison cannot run are refused")
    func invalidSettings() throws {
        var none = try config()
        none.exploit = .none
        for attempt in [
            { _ = try Comparison(config: try config(), seeds: 0) },
            { _ = try Comparison(config: none, seeds: 2) },
            { _ = try Comparison(config: try config(), seeds: 2, arms: [.random, .fixed]) },
            { _ = try Comparison(config: try config(), seeds: 2, arms: [.pbt, .fixed]) },
            { _ = try Comparison(config: try config(), seeds: 2, arms: [.pbt, .random, .random]) },
            { _ = try Comparison(config: try config(), firstSeed: .max, seeds: 2) },
        ] as [() throws -> Void] {
            #expect(throws: ComparisonError.self) { try attempt() }
        }
        #expect(try Comparison(config: try config(), firstSeed: .max, seeds: 1).seeds == [.max])
        #expect(try Comparison(config: try config(), seeds: 2, arms: [.random, .pbt]).arms == [.pbt, .random])
    }
}
