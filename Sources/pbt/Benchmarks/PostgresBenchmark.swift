#if PostgreSQL
import Foundation
import PBTPostgres
import PBTStore

/// The measurements behind `pbt bench postgres`, run with real `pbt worker` processes.
enum PostgresBenchmark {
    /// Commits per second while `processes` worker processes (one worker each) run a quadratic
    /// experiment of about `commits` ready points: committed claims divided by the time from
    /// the first claim to the last commit (the server's clock).
    static func throughput(base: String, processes: Int, commits: Int) async throws -> Double {
        try await withScratch(base) { url, directory in
            let population = 16, interval = 4
            let steps = max(interval, commits / population * interval)
            let file = try experimentFile(
                name: "bench", population: population, steps: steps, interval: interval, in: directory)
            let workers = try (0..<max(1, processes)).map { _ in
                try spawn(["worker", "--store", url, "--file", file, "--workers", "1", "--quiet"])
            }
            for worker in workers { worker.waitUntilExit() }
            let store = PostgresStore(try PostgresLocation(url: url), connections: 1)
            defer { store.close() }
            let claims = try await store.claims(of: "bench").filter { $0.outcome == .committed }
            guard let first = claims.map(\.started).min(), let last = claims.compactMap(\.ended).max(), last > first
            else {
                throw StoreError(.invalid, "the benchmark run committed nothing")
            }
            return Double(claims.count) / (last - first)
        }
    }

    /// Seconds from killing a worker process that holds a member to another worker's claim of
    /// that member, with two worker processes and leases of `lease` seconds.
    static func failover(base: String, lease: Double) async throws -> Double {
        try await withScratch(base) { url, directory in
            let file = try experimentFile(name: "failover", population: 8, steps: 400_000, interval: 4, in: directory)
            let arguments = [
                "worker", "--store", url, "--file", file, "--workers", "1", "--quiet", "--lease", String(lease),
            ]
            let victim = try spawn(arguments), survivor = try spawn(arguments)
            defer {
                survivor.terminate()
                survivor.waitUntilExit()
            }
            let store = PostgresStore(try PostgresLocation(url: url), connections: 1)
            defer { store.close() }
            // Let both work for a moment, then kill one while it holds a member: stop it, and
            // kill it if it holds one, else let it go on a moment longer.
            while (try? await store.claims(of: "failover").count) ?? 0 < 200 {
                try await Task.sleep(for: .milliseconds(20))
            }
            let prefix = ":\(victim.processIdentifier)/"
            var held: ClaimRecord?
            let give = ContinuousClock.now + .seconds(30)
            while held == nil {
                guard victim.isRunning, ContinuousClock.now < give else {
                    throw StoreError(
                        .invalid, "the worker to kill held no member within 30 s (running: \(victim.isRunning))")
                }
                kill(victim.processIdentifier, SIGSTOP)
                try await Task.sleep(for: .milliseconds(50))  // statements sent before the stop land
                held = try await store.claims(of: "failover").last { $0.worker.contains(prefix) && $0.ended == nil }
                if held == nil {
                    kill(victim.processIdentifier, SIGCONT)
                    try await Task.sleep(for: .milliseconds(Int.random(in: 1...20)))
                }
            }
            kill(victim.processIdentifier, SIGKILL)
            let death = Date().timeIntervalSince1970
            victim.waitUntilExit()
            guard let held else { throw StoreError(.invalid, "the killed worker held no member") }
            while true {
                let next = try await store.claims(of: "failover").first {
                    $0.member == held.member && $0.started > held.started && !$0.worker.contains(prefix)
                }
                if let next { return next.started - death }
                guard Date().timeIntervalSince1970 - death < lease + 30 else {
                    throw StoreError(.invalid, "member \(held.member) was not claimed again within \(lease + 30) s")
                }
                try await Task.sleep(for: .milliseconds(10))
            }
        }
    }

    /// Runs `body` with the store URL in a fresh schema and a scratch directory, then drops both.
    private static func withScratch<T>(_ base: String, _ body: (String, String) async throws -> T) async throws -> T {
        let schema = "bench_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(12)
        let url = base + (base.contains("?") ? "&" : "?") + "schema=\(schema)"
        let directory = NSTemporaryDirectory() + "pbt-bench-" + schema
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let result = try await body(url, directory)
        let store = PostgresStore(try PostgresLocation(url: base), connections: 1)
        defer { store.close() }
        try await store.dropSchema(schema)
        return result
    }

    /// Starts this executable with `arguments`, its output discarded.
    private static func spawn(_ arguments: [String]) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        if !FileManager.default.isExecutableFile(atPath: process.executableURL!.path) {
            process.executableURL = URL(fileURLWithPath: CommandLine.arguments[0])
        }
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        return process
    }

    private static func experimentFile(
        name: String, population: Int, steps: Int, interval: Int, in directory: String
    ) throws
        -> String
    {
        let path = "\(directory)/\(name).yaml"
        try """
        name: \(name)
        workload: quadratic
        population: \(population)
        steps: \(steps)
        interval: \(interval)
        exploit: {strategy: truncation, fraction: 0.25}
        explore: {strategy: perturb, factors: [0.8, 1.2]}
        hyperparameters:
          h0: {uniform: [0, 1]}
          h1: {uniform: [0, 1]}

        """.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }
}
#endif
