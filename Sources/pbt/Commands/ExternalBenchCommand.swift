import ArgumentParser
import Foundation

/// `pbt bench external`: engine overhead per ready point for an external program, and live
/// processes: starts and wall time of a population whose program is slow to start.
struct ExternalBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "external",
        abstract: "Engine overhead per ready point for an external program (no-op Python script, 1 MB checkpoint), "
            + "then process starts and wall time of PBT against the same members without exploits, for a program "
            + "slow to start."
    )

    @Option(help: "The no-op training program (run with python3).")
    var program = "benchmarks/external_noop.py"

    @Option(help: "Checkpoint size in bytes.")
    var bytes = 1 << 20

    @Option(help: "Ready points to time (after 10 warm-up ones).")
    var samples = 300

    @Option(help: "The slow-starting program of the live-process part (run with python3).")
    var liveProgram = "benchmarks/external_slow_start.py"

    @Option(help: "Its start-up time, in seconds.")
    var startup = 2.0

    @Option(help: "Its time per training step, in seconds.")
    var stepSeconds = 0.05

    @Option(help: "Members of the live-process part.")
    var members = 8

    @Option(help: "Workers of the live-process part (the pool keeps as many processes).")
    var workers = 2

    @Option(help: "Steps per member of the live-process part (ready every 5).")
    var steps = 60

    @Flag(help: "Only the live-process part.")
    var liveOnly = false

    func run() async throws {
        if !liveOnly { try await overhead() }
        let setup = LiveProcessBenchmark.Setup(
            program: liveProgram, startup: startup, stepSeconds: stepSeconds, members: members, workers: workers,
            steps: steps, interval: 5)
        let (pbt, reference) = try await LiveProcessBenchmark.run(setup)
        print(
            "live processes: \(liveProgram) (\(startup) s start-up, \(stepSeconds) s a step), \(members) members × "
                + "\(steps) steps (ready every 5), \(workers) workers, pool \(workers)")
        for (name, arm) in [("PBT (truncation 25%, perturb)", pbt), ("no exploit (same members)   ", reference)] {
            print(
                "  \(name): "
                    + String(
                        format:
                            """
                            %2d process starts (members + failures = %d: %.2f×), %3d exploits, %3d ready points, %6.1f s
                            """,
                        arm.starts, members + arm.failures, Double(arm.starts) / Double(members + arm.failures),
                        arm.exploits, arm.readyPoints, arm.seconds))
        }
        print(
            String(
                format: "  PBT wall time / no-exploit wall time: %.2f× (target ≤ 1.2×)", pbt.seconds / reference.seconds
            ))
        let training = Double(members * steps) * stepSeconds / Double(workers)
        print(
            String(
                format: "  floor: training alone on %d workers %.1f s; PBT = %.2f× it, no exploit = %.2f× it",
                workers, training, pbt.seconds / training, reference.seconds / training))
    }

    private func overhead() async throws {
        let result = try await ExternalBenchmark.run(program: program, bytes: bytes, samples: samples)
        print("external program \(program), checkpoint \(bytes) bytes, \(samples) ready points (medians)")
        print(
            String(
                format: "  ready point (set_hyperparameters, train, evaluate, save + pack): %6.3f ms "
                    + "(target ≤ 2 ms: %.2f×)",
                result.readyPoint, result.readyPoint / 2))
        print(
            String(
                format: "  … plus in-memory store commit (SHA-256):                       %6.3f ms", result.withCommit))
        print(
            String(format: "  exploit restore (unpack + load):                               %6.3f ms", result.restore))
        print(
            String(
                format:
                    "  reference: write + read the same bytes through a file here:   %6.3f ms (ready point = %.1f× it)",
                result.fileCopy, result.readyPoint / result.fileCopy))
    }
}
