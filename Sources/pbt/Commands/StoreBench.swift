import ArgumentParser
import Foundation
import PBTSQLite
import PBTStore

/// `pbt bench store`: the cost of a SQLite ready-point commit, and of durability in a whole
/// run, each beside the in-memory store measured in the same process.
struct StoreBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store",
        abstract: "SQLite commit latency and quadratic throughput with checkpoints at every ready point, vs in memory."
    )

    @Option(help: "Commits timed per store.")
    var commits = 2000

    @Option(help: "Whole runs per store (the median is shown).")
    var repeats = 3

    @Option(help: "A directory for the scratch SQLite files (removed afterwards).")
    var directory = FileManager.default.temporaryDirectory.path

    func run() async throws {
        let folder = URL(fileURLWithPath: directory).appendingPathComponent("pbt-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        var files = 0
        let scratch = { () -> String in
            files += 1
            return folder.appendingPathComponent("bench-\(files).sqlite").path
        }

        print("ready-point commit (score + 4 KB checkpoint + truncation/perturb decision, N = 10; \(commits) commits)")
        let sqlite = try await runStoreCommitBenchmark(path: scratch(), commits: commits)
        let memory = try await runMemoryCommitBenchmark(commits: commits)
        print(
            String(
                format:
                    "  SQLite, until in the file (commit + flush): median %7.1f µs, "
                    + "p90 %7.1f µs (target median ≤ 1000 µs: %.2f×)",
                sqlite.durable.median, sqlite.durable.p90, sqlite.durable.median / 1000))
        print(
            String(
                format: "  SQLite, until commit returns:               median %7.1f µs, p90 %7.1f µs",
                sqlite.returned.median, sqlite.returned.p90))
        print(
            String(
                format:
                    "  in memory:                                  median %7.1f µs, "
                    + "p90 %7.1f µs (SQLite in the file / memory: %.0f×)",
                memory.returned.median, memory.returned.p90, sqlite.durable.median / memory.returned.median))

        print("quadratic toy, 1 worker, checkpoint + commit at every ready point (median of \(repeats) runs)")
        for (population, steps, interval) in [(8, 1_000_000, 100), (8, 20_000, 4)] {
            let onDisk = try await StoreThroughputBenchmark.median(
                repeats: repeats, population: population, steps: steps, interval: interval
            ) { try SQLiteStore(path: scratch()) }
            let inMemory = try await StoreThroughputBenchmark.median(
                repeats: repeats, population: population, steps: steps, interval: interval
            ) { InMemoryStore() }
            let ratio = onDisk / inMemory
            let verdict = interval == 100 ? (ratio >= 0.5 ? " (target ≥ 0.5: met)" : " (target ≥ 0.5: NOT met)") : ""
            print(
                String(
                    format: "  population %d, interval %3d: SQLite %10.0f, in memory %10.0f member-steps/s; ratio %.3f",
                    population, interval, onDisk, inMemory, ratio) + verdict)
        }
    }
}
