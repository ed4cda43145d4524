import Foundation
import PBT
import PBTRuntime
import PBTStore
import PBTWorkloads

/// The engine's own cost: one ready decision in memory, and whole runs of the quadratic toy,
/// whose training step costs nanoseconds, so a run is nearly pure engine.
enum EngineBenchmark {
    /// Median and 90th percentile of one `Scheduler.decide` for a population of `size`, in µs,
    /// with truncation (the member always in the bottom group: the costly path) and perturb.
    static func decisionCost(populationSize size: Int, samples: Int = 2000) throws -> (median: Double, p90: Double) {
        let space = try SearchSpace([
            "lr": .logUniform(lower: 1e-5, upper: 1e-1), "momentum": .uniform(lower: 0, upper: 1),
            "batch": .integer(lower: 16, upper: 512), "activation": .choice(["relu", "tanh"], ordered: false),
        ])
        let scheduler = Scheduler(
            space: space, exploit: try Truncation(fraction: 0.2), explore: try Perturb(),
            schedule: try TrainingSchedule(steps: 1_000_000, interval: 10), seed: 7)
        var random = PBTRandom(seed: 42)
        let population = (0..<size).map {
            MemberSnapshot(
                slot: $0, step: 100, score: random.unit(), recentScores: [random.unit()],
                hyperparameters: space.sample(using: &random))
        }
        let worst = population.min { $0.score! < $1.score! }!.slot
        var timings: [Double] = []
        timings.reserveCapacity(samples)
        var exploits = 0
        let clock = ContinuousClock()
        for _ in 0..<samples {
            let start = clock.now
            let decision = scheduler.decide(member: worst, population: population)
            timings.append(microseconds(clock.now - start))
            if case .exploit = decision { exploits += 1 }
        }
        precondition(exploits == samples, "the bottom member must always exploit")
        timings.sort()
        return (timings[timings.count / 2], timings[timings.count * 9 / 10])
    }

    /// Member-steps per second of the quadratic toy run to completion in memory.
    static func quadraticThroughput(population: Int, steps: Int, interval: Int, workers: Int) async throws -> Double {
        let config = ExperimentConfig(
            name: "bench", workload: WorkloadSpec(name: "quadratic"), population: population,
            schedule: try TrainingSchedule(steps: steps, interval: interval),
            exploit: .truncation(fraction: 0.2), explore: .perturb(factors: [0.8, 1.2]),
            hyperparameters: ["h0": .uniform(lower: 0, upper: 1), "h1": .uniform(lower: 0, upper: 1)])
        let runner = try LocalRunner(
            config: config, store: InMemoryStore(), workload: Quadratic(), storeCalls: .inPlace)
        let clock = ContinuousClock()
        let start = clock.now
        try await runner.run(workers: workers)
        let seconds = microseconds(clock.now - start) / 1e6
        return Double(population * steps) / seconds
    }

    static func microseconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) * 1e6 + Double(duration.components.attoseconds) * 1e-12
    }
}
