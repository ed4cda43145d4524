import ArgumentParser
import Foundation
import PBTStore

#if PostgreSQL
import PBTPostgres
#endif

/// `pbt bench postgres`: ready-point throughput of `pbt worker` processes sharing a PostgreSQL
/// store, and how long a dead worker's member waits before it trains elsewhere.
struct PostgresBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "postgres",
        abstract: "Commits/s with 8 worker processes on PostgreSQL, and failover time after a worker is killed.",
        discussion: "Each run uses a fresh schema of the database (dropped afterwards unless --keep)."
    )

    @Option(help: "The PostgreSQL store, e.g. postgres://pbt@127.0.0.1:5432/pbt?sslmode=disable.")
    var store: String

    @Option(help: "Worker processes for the throughput run.")
    var processes: Int = 8

    @Option(help: "Ready points committed per throughput run (population 16, interval 4).")
    var commits: Int = 4000

    @Option(help: "Lease seconds for the failover runs.")
    var lease: Double = 2

    @Option(help: "Failover runs.")
    var failovers: Int = 3

    func run() async throws {
        #if PostgreSQL
        let base = try PostgresLocation(url: store)
        print("PostgreSQL store \(base), quadratic workload, \(ProcessInfo.processInfo.activeProcessorCount) cores")
        let scaling = try await PostgresBenchmark.throughput(base: store, processes: 1, commits: commits / 4)
        let rate = try await PostgresBenchmark.throughput(base: store, processes: processes, commits: commits)
        print(String(format: "  1 worker process:   %7.0f commits/s", scaling))
        print(
            String(
                format: "  %d worker processes: %7.0f commits/s (target ≥ 500: %.2f×; %.2f× one process)",
                processes, rate, rate / 500, rate / scaling))
        var delays: [Double] = []
        for _ in 0..<max(1, failovers) {
            delays.append(try await PostgresBenchmark.failover(base: store, lease: lease))
        }
        delays.sort()
        print(
            String(
                format: "  failover, lease %.1f s: death → member claimed elsewhere: median %.2f s, max %.2f s "
                    + "(target ≤ lease + 1 s = %.1f s: %@)",
                lease, delays[delays.count / 2], delays.last!, lease + 1,
                delays.last! <= lease + 1 ? "met" : "missed"))
        #else
        throw CommandError.leftOut("The PostgreSQL store (pbt bench postgres)", trait: "PostgreSQL")
        #endif
    }
}
