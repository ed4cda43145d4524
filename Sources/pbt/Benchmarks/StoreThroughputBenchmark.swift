import Foundation
import PBT
import PBTRuntime
import PBTStore
import PBTWorkloads

/// Whole quadratic runs on a given store: the cost of durability per member-step.
enum StoreThroughputBenchmark {
    /// Member-steps per second of the quadratic toy run to completion on `store` by one worker
    /// (every ready point commits a score, a checkpoint and a decision).
    static func quadratic(store: any PopulationStore, population: Int, steps: Int, interval: Int) async throws -> Double
    {
        let config = ExperimentConfig(
            name: "bench-\(UInt32.random(in: 0...UInt32.max))", workload: WorkloadSpec(name: "quadratic"),
            population: population, schedule: try TrainingSchedule(steps: steps, interval: interval),
            exploit: .truncation(fraction: 0.2), explore: .perturb(factors: [0.8, 1.2]),
            hyperparameters: ["h0": .uniform(lower: 0, upper: 1), "h1": .uniform(lower: 0, upper: 1)])
        let runner = try LocalRunner(config: config, store: store, workload: Quadratic(), storeCalls: .inPlace)
        try await runner.open()
        let clock = ContinuousClock()
        let start = clock.now
        try await runner.run(workers: 1)
        let seconds = EngineBenchmark.microseconds(clock.now - start) / 1e6
        return Double(population * steps) / seconds
    }

    /// The median of `repeats` runs on fresh stores made by `makeStore`.
    static func median(
        repeats: Int, population: Int, steps: Int, interval: Int, makeStore: () throws -> any PopulationStore
    ) async throws -> Double {
        var rates: [Double] = []
        for _ in 0..<max(1, repeats) {
            rates.append(
                try await quadratic(store: try makeStore(), population: population, steps: steps, interval: interval))
        }
        return rates.sorted()[rates.count / 2]
    }
}
