import ArgumentParser
import Foundation
import PBT

/// `pbt bench`: measure the engine and print each number beside its target.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure swift-pbt's own speed and compare it with its targets and references.",
        subcommands: [
            EngineBench.self, MLPBench.self, ReportBench.self, PostgresBench.self, StoreBench.self, ExternalBench.self,
            CheckpointBench.self, CartPoleBench.self, GANBench.self, PB2Bench.self,
        ]
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
        print(
            String(
                format: "  growth 32 → 1024: %.1f× (N log N would be %.1f×; ratio %.2f)", growth, nLogN, growth / nLogN)
        )
        print("quadratic toy, in-memory store, 1 worker (whole run: train, evaluate, save, commit, decide)")
        for (population, interval) in [(2, 4), (32, 4), (32, 100)] {
            let rate = try await EngineBenchmark.quadraticThroughput(
                population: population, steps: 20_000, interval: interval, workers: 1)
            print(
                String(
                    format: "  population %3d, interval %3d: %10.0f member-steps/s (target ≥ 500000: %.2f×)",
                    population, interval, rate, rate / 500_000))
        }
    }
}

/// `pbt bench mlp`: digits-MLP training speed (64-128-10, batch 64, Adam, one thread).
/// `benchmarks/mlp.sh` runs it beside the numpy reference and prints the ratio.
struct MLPBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mlp",
        abstract: "Training steps/s of the digits MLP (compare: benchmarks/mlp.sh runs numpy beside it)."
    )

    @Option(help: "Seconds to train after warm-up.")
    var seconds: Double = 3

    @Flag(help: "Print one JSON object (the keys of benchmarks/numpy_mlp.py).")
    var json = false

    func run() async throws {
        let result = runMLPBenchmark(seconds: seconds)
        if json {
            print(String(decoding: try JSONEncoder().encode(result), as: UTF8.self))
        } else {
            print(
                String(
                    format:
                        """
                        digits MLP 64-128-10, batch 64, Adam, 1 thread: %.0f steps/s (%d steps in %.2f s, \
                        final loss %.3f)
                        """,
                    result.stepsPerSecond, result.steps, result.seconds, result.finalLoss))
        }
    }
}

/// `pbt bench cartpole`: environment steps per second of one CartPole member.
struct CartPoleBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cartpole",
        abstract: "Environment steps/s of one cartpole member training (A2C), beside the bare physics."
    )

    @Option(help: "Seconds to train after warm-up.")
    var seconds: Double = 3

    func run() async throws {
        let result = try runCartPoleBenchmark(seconds: seconds)
        print(
            String(
                format: "cartpole, one member training (A2C, 8 environments): %.0f environment steps/s",
                result.trainingStepsPerSecond))
        print(
            String(
                format: "bare CartPole-v1 physics: %.0f steps/s (training runs at %.2f%% of the physics' speed)",
                result.physicsStepsPerSecond, 100 * result.trainingStepsPerSecond / result.physicsStepsPerSecond))
    }
}

/// `pbt bench gan`: the `gan` score's own noise beside the differences selection acts on.
struct GANBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gan",
        abstract: "Noise of the gan score over independent evaluation draws, beside the spread between members."
    )

    @Option(help: "Members to train (learning rates drawn as in examples/gan.yaml).")
    var members = 8

    @Option(help: "Training steps per member.")
    var steps = 3000

    @Option(help: "Independent evaluation draws per member.")
    var draws = 20

    func run() async throws {
        let result = try GANScoreNoise.measure(members: members, steps: steps, draws: draws, sizes: [256, 1024, 2048])
        print(
            """
            gan score (−squared kernel distance, MMD²): \(members) members × \(steps) steps, \(draws) \
            evaluation draws each
            """
        )
        print(
            "  samples   score noise (median sd over draws)   spread between members (sd)   median |difference| of two "
                + "members   noise / difference"
        )
        for row in result.rows {
            print(
                String(
                    format: "  %7d   %34.4f   %27.4f   %34.4f   %17.3f", row.samples, row.scoreNoise, row.memberSpread,
                    row.pairDifference, row.scoreNoise / row.pairDifference))
        }
    }
}

/// `pbt bench pb2`: one PB2 suggestion on a full history, beside PBT's perturb decision.
struct PB2Bench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pb2",
        abstract: "Cost of one PB2 suggestion (1,000 rows, 4 hyperparameters, 8 members) beside PBT's perturb decision."
    )

    @Option(help: "Suggestions timed (each from its own seed).")
    var samples = 7

    @Flag(help: "Instead, compare suggestions of PB2 fitted on 100 rows (the default) and 200, on synthetic histories.")
    var quality = false

    @Option(help: "With --quality: histories per scenario.")
    var histories = 60

    func validate() throws {
        guard samples >= 1 else { throw ValidationError("--samples must be at least 1, got \(samples)") }
        guard histories >= 1 else { throw ValidationError("--histories must be at least 1, got \(histories)") }
    }

    func run() async throws {
        if quality { return try printQuality() }
        let perturb = try EngineBenchmark.decisionCost(populationSize: 8)
        let costs = try PB2Benchmark.decisionCosts(samples: samples, fitRows: [PB2.defaultFitRows, 200])
        let (pb2, fitOn200) = (costs[0], costs[1])
        let mix = try PB2Benchmark.decisionCosts(samples: samples, choice: true)[0]
        print("one explore decision, 8 members, 4 hyperparameters, one core")
        print(String(format: "  PBT (truncation + perturb): median %10.3f ms", perturb.median / 1000))
        print(
            String(
                format: "  PB2 (1,000 rows):           median %10.3f ms, p90 %.3f ms (%.0f× perturb; "
                    + "target ≤ 20 ms: %.1f×)",
                pb2.median, pb2.p90, pb2.median * 1000 / perturb.median, pb2.median / 20))
        print(
            String(
                format: "  PB2, fit on 200 rows:       median %10.3f ms, p90 %.3f ms (%.2f× PB2; as before fit_rows)",
                fitOn200.median, fitOn200.p90, fitOn200.median / pb2.median))
        print(
            String(
                format: "  PB2-Mix (+ a choice of 3):  median %10.3f ms, p90 %.3f ms (%.2f× PB2)", mix.median, mix.p90,
                mix.median / pb2.median))
    }

    private func printQuality() throws {
        let table = try PB2SuggestionQuality.compare(
            candidateFitRows: PB2.defaultFitRows, baselineFitRows: 200, histories: histories)
        print("PB2 suggestions fitted on 100 rows vs 200: true rate of the suggested configuration, \(histories)")
        print("histories per row (8 members, 4 hyperparameters; two-sided Wilcoxon signed-rank)")
        print("  scenario    rows  trust  rate (100)  rate (200)  W/T/L     p      ms (100)  ms (200)")
        for row in table {
            print(
                String(
                    format: "  %-10@ %5d  %5.2f  %10.4f  %10.4f  %@  %6.3f  %8.2f  %8.2f", row.scenario, row.rows,
                    row.trustRegion, row.candidate.rate, row.baseline.rate,
                    "\(row.wins)/\(row.ties)/\(row.losses)".padding(toLength: 8, withPad: " ", startingAt: 0),
                    row.pValue, row.candidate.milliseconds, row.baseline.milliseconds))
        }
    }
}
