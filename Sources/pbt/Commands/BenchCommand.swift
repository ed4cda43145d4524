import ArgumentParser
import Foundation

/// `pbt bench`: measure the engine and print each number beside its target.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure swift-pbt's own speed and compare it with its targets and references.",
        subcommands: [EngineBench.self]
    )
}

/// `pbt bench engine`: decision cost by population size and quadratic throughput.
struct EngineBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "engine",
        abstract: "Cost of one ready decision (N = 2, 32, 1024) and quadratic member-steps/s on one worker."
    )

    func run() async throws {
        print("ready decision, in memory (truncation 20% + perturb, bottom member; 2000 samples)")
        var costs: [(Int, Double)] = []
        for size in [2, 32, 1024] {
            let (median, p90) = try EngineBenchmark.decisionCost(populationSize: size)
            costs.append((size, median))
            print(String(format: "  N = %5d: median %8.2f µs, p90 %8.2f µs", size, median, p90))
        }
        let (small, large) = (costs[1], costs[2])
        let growth = large.1 / small.1
        let nLogN = Double(large.0) * log2(Double(large.0)) / (Double(small.0) * log2(Double(small.0)))
        print(String(format: "  target at N = 32: ≤ 20 µs → %.2f× of budget", small.1 / 20))
        print(String(format: "  growth 32 → 1024: %.1f× (N log N would be %.1f×; ratio %.2f)", growth, nLogN, growth / nLogN))
        print("quadratic toy, in-memory store, 1 worker (whole run: train, evaluate, save, commit, decide)")
        for (population, interval) in [(2, 4), (32, 4), (32, 100)] {
            let rate = try await EngineBenchmark.quadraticThroughput(
                population: population, steps: 20_000, interval: interval, workers: 1)
            print(String(format: "  population %3d, interval %3d: %10.0f member-steps/s (target ≥ 500000: %.2f×)",
                         population, interval, rate, rate / 500_000))
        }
    }
}
