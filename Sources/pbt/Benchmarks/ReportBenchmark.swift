import Foundation
import PBT
import PBTReport
import PBTRuntime
import PBTSQLite
import PBTStore
import PBTWorkloads

#if Dashboard
import PBTServe
#endif

/// The report and the dashboard API on a large experiment: 32 members × 1,000 ready points of
/// the quadratic toy (h0 log-uniform, h1 uniform; truncation + perturb), run through the real
/// worker loop into a SQLite file.
enum ReportBenchmark {
    /// The experiment the benchmark builds.
    static func config(members: Int, readyPoints: Int) throws -> ExperimentConfig {
        ExperimentConfig(
            name: "report-bench-\(members)x\(readyPoints)",
            workload: WorkloadSpec(name: "quadratic", options: ["step_size": 0.002]),
            population: members, schedule: try TrainingSchedule(steps: readyPoints, interval: 1), seed: 3,
            exploit: .truncation(fraction: 0.2), explore: .perturb(factors: [0.8, 1.2]),
            hyperparameters: ["h0": .logUniform(lower: 0.01, upper: 1), "h1": .uniform(lower: 0, upper: 1)])
    }

    /// Runs (or finds already run) the experiment in the SQLite file at `path`.
    /// - Returns: the store and the seconds the run took (0 when it was already there).
    static func prepare(path: String, config: ExperimentConfig) async throws -> (SQLiteStore, Double) {
        let store = try SQLiteStore(path: path)
        let members =
            try await store.experiment(named: config.name) == nil ? [] : try await store.members(of: config.name)
        if !members.isEmpty, members.allSatisfy({ $0.status == .done }) { return (store, 0) }
        let start = ContinuousClock.now
        let runner = try LocalRunner(
            config: config, store: store, workload: try BuiltinWorkloads.make(config.workload), storeCalls: .inPlace)
        try await runner.run(workers: 2)
        return (store, seconds(ContinuousClock.now - start))
    }

    /// Seconds to read the history and render the whole document, and the document's bytes.
    static func render(
        name: String, store: SQLiteStore, path: String
    ) async throws -> (load: Double, render: Double, bytes: Int) {
        let start = ContinuousClock.now
        let history = try await ExperimentHistory.load(name, from: store)
        let loaded = ContinuousClock.now
        let html = HTMLReport(history: history, location: "sqlite:\(path)").document()
        let done = ContinuousClock.now
        return (seconds(loaded - start), seconds(done - loaded), html.utf8.count)
    }

    #if Dashboard
    /// Times GETs of `paths` on a live dashboard over `store`: the first (cold) request and the
    /// median of `repeats` more, in ms, with each body's size.
    static func api(
        store: SQLiteStore, path: String, paths: [String], repeats: Int
    ) async throws -> [(path: String, cold: Double, median: Double, bytes: Int)] {
        let catalog = StoreCatalog(.store(.sqlite(path: path), store))
        let (ports, continuation) = AsyncStream<Int?>.makeStream()
        let app = Dashboard(catalog: catalog).application(host: "127.0.0.1", port: 0) { port in continuation.yield(port)
        }
        let server = Task { try await app.run() }
        defer { server.cancel() }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() ?? nil else { throw ReportError(.output, "the dashboard did not start") }
        var results: [(String, Double, Double, Int)] = []
        for path in paths {
            var timings: [Double] = []
            var bytes = 0
            for _ in 0...repeats {
                let start = ContinuousClock.now
                let data = try LoopbackHTTP.get(port: port, path: path)
                timings.append(seconds(ContinuousClock.now - start) * 1000)
                bytes = data.count
            }
            let cold = timings.removeFirst()
            timings.sort()
            results.append((path, cold, timings[timings.count / 2], bytes))
        }
        return results
    }
    #endif

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
    }
}
