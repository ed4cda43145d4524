import ArgumentParser
import Foundation

/// `pbt bench report`: report rendering and dashboard API latency on 32 members × 1,000 ready
/// points, each beside its target (report ≤ 2 s and ≤ 5 MB; API ≤ 50 ms).
struct ReportBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Report render time and size, and dashboard API latency, on 32 members × 1,000 ready points."
    )

    @Option(
        help: ArgumentHelp(
            "The SQLite file holding the experiment (built on first use, reused after).", valueName: "path"))
    var store = "/tmp/pbt-report-bench.sqlite"

    @Option(help: "Members.")
    var members = 32

    @Option(help: "Ready points per member.")
    var readyPoints = 1000

    @Option(help: "Requests per API path after the first.")
    var repeats = 20

    func run() async throws {
        let config = try ReportBenchmark.config(members: members, readyPoints: readyPoints)
        let (store, built) = try await ReportBenchmark.prepare(path: self.store, config: config)
        if built > 0 {
            print(
                String(format: "built %@ in %.1f s (%d commits, 2 workers)", config.name, built, members * readyPoints))
        }
        var renders: [(Double, Double, Int)] = []
        for _ in 0..<3 {
            renders.append(try await ReportBenchmark.render(name: config.name, store: store, path: self.store))
        }
        let best = renders.min { $0.0 + $0.1 < $1.0 + $1.1 }!
        let total = best.0 + best.1, megabytes = Double(best.2) / 1_048_576
        print(
            String(
                format:
                    """
                    report, %d × %d ready points (best of 3): read %.3f s + render %.3f s = %.3f s (target ≤ 2 s: \
                    %.2f×); %.2f MB (target ≤ 5 MB: %.2f×)
                    """,
                members, readyPoints, best.0, best.1, total, total / 2, megabytes, megabytes / 5))
        #if Dashboard
        let name = config.name
        let paths = [
            "/api/experiments", "/api/experiments/\(name)", "/api/experiments/\(name)/status",
            "/api/experiments/\(name)/members", "/api/experiments/\(name)/scores",
            "/api/experiments/\(name)/events",
            "/api/experiments/\(name)/scores?since=\(members * readyPoints - members)",
        ]
        print(
            """
            dashboard API over loopback HTTP (first request reads the store; \
            later ones hit the cache while nothing changes)
            """
        )
        for result in try await ReportBenchmark.api(store: store, path: self.store, paths: paths, repeats: repeats) {
            let label = result.path.padding(toLength: max(52, result.path.count), withPad: " ", startingAt: 0)
            print(
                "  " + label
                    + String(
                        format: " first %7.1f ms, median %6.2f ms (target ≤ 50 ms: %.2f×), %8d bytes",
                        result.cold, result.median, result.median / 50, result.bytes))
        }
        #else
        print("dashboard API: not in this build (package trait 'Dashboard': swift build -c release --traits Dashboard)")
        #endif
    }
}
