import ArgumentParser
import Foundation

/// `pbt bench checkpoint`: a large external-program checkpoint through the SQLite store,
/// beside `cp` of the same file.
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

    func run() async throws {
        let result = try await CheckpointBenchmark.run(size: size, scratch: scratch)
        let mebibytes = { (bytes: Int) in Double(bytes) / Double(1 << 20) }
        print(
            String(
                format: "external-program checkpoint of %.0f MiB, SQLite store (file beside the database)",
                mebibytes(result.bytes)))
        print(String(format: "  cp of the program's file (before the save):        %7.2f s", result.copy))
        print(
            String(
                format: "  save (program's save; its file moved in, hashed):  %7.2f s = %.2f× cp",
                result.save, result.save / result.copy))
        print(
            String(
                format: "  commit (fsync the file, rename it in, the row):    %7.2f s = %.2f× cp",
                result.commit, result.commit / result.copy))
        print(
            String(
                format: "  save + commit:                                     %7.2f s = %.2f× cp (target ≤ 2×)",
                result.save + result.commit, (result.save + result.commit) / result.copy))
        print(String(format: "  cp of the program's file (before the restore):     %7.2f s", result.copyBeforeRestore))
        print(
            String(
                format: "  restore (read back, unpack while verifying, load): %7.2f s = %.2f× cp (target ≤ 2×)",
                result.restore, result.restore / result.copyBeforeRestore))
        print(
            String(
                format: "  peak resident memory growth: %.1f MiB (target ≤ 100 MiB: %.2f×)",
                mebibytes(result.peakGrowth), mebibytes(result.peakGrowth) / 100))
    }
}
