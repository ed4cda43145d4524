import ArgumentParser
import Foundation

/// `pbt bench external`: engine overhead per ready point for an external program.
struct ExternalBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "external",
        abstract: "Engine overhead per ready point for an external program (no-op Python script, 1 MB checkpoint)."
    )

    @Option(help: "The no-op training program (run with python3).")
    var program = "benchmarks/external_noop.py"

    @Option(help: "Checkpoint size in bytes.")
    var bytes = 1 << 20

    @Option(help: "Ready points to time (after 10 warm-up ones).")
    var samples = 300

    func run() async throws {
        let result = try await ExternalBenchmark.run(program: program, bytes: bytes, samples: samples)
        print("external program \(program), checkpoint \(bytes) bytes, \(samples) ready points (medians)")
        print(String(format: "  ready point (set_hyperparameters, train, evaluate, save + pack): %6.3f ms (target ≤ 2 ms: %.2f×)",
                     result.readyPoint, result.readyPoint / 2))
        print(String(format: "  … plus in-memory store commit (SHA-256):                       %6.3f ms", result.withCommit))
        print(String(format: "  exploit restore (unpack + load):                               %6.3f ms", result.restore))
        print(String(format: "  reference: write + read the same bytes through a file here:   %6.3f ms (ready point = %.1f× it)",
                     result.fileCopy, result.readyPoint / result.fileCopy))
    }
}
