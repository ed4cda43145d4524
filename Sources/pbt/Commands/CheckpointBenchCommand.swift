import ArgumentParser
import Foundation

/// `pbt bench checkpoint`: a large external-program checkpoint through the SQLite store,
/// beside `cp` of the same file, in several rounds: one line each, then the median ratios.
struct CheckpointBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "checkpoint",
        abstract:
            "Commit and restore of a large external-program checkpoint (SQLite store) beside cp; peak memory growth."
    )

    @Option(help: "Checkpoint size in bytes.")
    var size = 2 << 30

    @Option(help: "Scratch folder (the program's file of random bytes is kept there for later runs).")
    var scratch = NSTemporaryDirectory() + "pbt-bench-checkpoint"

    @Option(help: "Rounds, each a fresh store and program (this VM's memory makes single timings spread).")
    var rounds = 5

    func validate() throws {
        guard rounds >= 1 else { throw ValidationError("--rounds must be at least 1, got \(rounds)") }
        guard size >= 1 else { throw ValidationError("--size must be at least 1 byte, got \(size)") }
    }

    func run() async throws {
        let mebibytes = { (bytes: Int) in Double(bytes) / Double(1 << 20) }
        print(
            String(
                format: "external-program checkpoint of %.0f MiB, SQLite store (file beside the database), %d rounds",
                mebibytes(size), rounds))
        print("round   cp   save+commit (commit)  ratio    cp   restore  ratio  peak memory growth")
        var saves: [Double] = [], restores: [Double] = [], growth = 0
        for round in 1...rounds {
            let result = try await CheckpointBenchmark.run(size: size, scratch: scratch)
            let save = result.save + result.commit
            saves.append(save / result.copy)
            restores.append(result.restore / result.copyBeforeRestore)
            growth = max(growth, result.peakGrowth)
            print(
                String(
                    format: "%5d %5.2f s %6.2f s (%4.2f s) %6.2f× %5.2f s %6.2f s %6.2f×  %6.1f MiB",
                    round, result.copy, save, result.commit, saves.last!, result.copyBeforeRestore,
                    result.restore, restores.last!, mebibytes(result.peakGrowth)))
        }
        let median = { (ratios: [Double]) in
            let sorted = ratios.sorted()
            return (sorted[(sorted.count - 1) / 2] + sorted[sorted.count / 2]) / 2
        }
        let within = { (ratios: [Double]) in ratios.filter { $0 <= 2 }.count }
        print(
            String(
                format:
                    "median ratio to cp: save + commit %.2f× (%d of %d rounds ≤ 2×), restore %.2f× (%d of %d ≤ 2×); "
                    + "largest peak memory growth %.1f MiB (target ≤ 100 MiB)", median(saves), within(saves), rounds,
                median(restores), within(restores), rounds, mebibytes(growth)))
    }
}
