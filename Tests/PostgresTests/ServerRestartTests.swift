import Foundation
import PBTPostgres
import PBTStore
import PBTTestSupport
import Testing

/// A PostgreSQL server that goes away mid-run (a crash: immediate shutdown) and comes back:
/// workers retry with backoff, carry on, and nothing committed is lost.
@Suite("PostgreSQL: server restart mid-run", .serialized)
struct ServerRestartTests {
    @Test(.enabled(if: TestServer.url != nil, TestServer.skipReason), .timeLimit(.minutes(5)))
    func workersSurviveACrashAndRestartOfTheServer() async throws {
        // In a process of its own: under the load of the other suites this process polled for
        // the first scores so late that the workers had already finished when the crash came.
        // (Issues recorded in the child reach this process without their text: the checks
        // below write theirs to standard error.)
        let result = await #expect(processExitsWith: .success, observing: [\.standardErrorContent]) {
            await ChildProcess.run(Self.problem) { try await Self.crashAndRestart() }
        }
        let problems = ChildProcess.problems(result, Self.problem)
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
    }

    /// What starts each line of a failed check.
    private static let problem = "server restart test: "

    /// Reports `message` unless `condition` holds.
    private static func check(_ condition: Bool, _ message: @autoclosure () -> String) {
        if !condition { ChildProcess.write(problem, message()) }
    }

    private static func crashAndRestart() async throws {
        let server = try PrivateServer()
        defer { server.remove() }
        let scratch = try TemporaryDirectory()
        defer { scratch.remove() }
        // The server trusts local connections, so this password is sent nowhere; it must not
        // appear in any output either.
        let password = "hunter2-not-shown"
        let url = server.url.replacingOccurrences(of: "postgres://pbt@", with: "postgres://pbt:\(password)@")
        let budget = 1200
        let file = try workerExperiment(name: "restart", population: 6, steps: budget, in: scratch)
        let workers = try (0..<2).map { _ in
            try PBTProcess(["worker", "--store", url, "--file", file, "--workers", "2", "--lease", "5"])
        }

        let before = try await scoresOnceThereAre(atLeast: 30, at: url)
        let running = workers.filter(\.isRunning).count
        try server.stop(mode: "immediate")
        try await Task.sleep(for: .seconds(2))
        try server.start()

        for worker in workers {
            let status = try await worker.wait()
            check(status == 0, "a worker did not survive the restart:\n\(worker.log)")
            check(!worker.log.contains(password), "a worker printed the password:\n\(worker.log)")
        }
        // The crash reached the workers: a call failed and was retried, or a lease lapsed while
        // the server was away and its member was lost. (A worker whose calls were all waiting
        // for a connection when the server went away just waits while the connection pool
        // reconnects: it has nothing to retry.)
        check(running > 0, "the workers finished before the crash (\(before.count) scores when it came)")
        check(
            workers.contains { $0.log.contains("retry") || $0.log.contains("lost member") },
            "no worker retried or lost a member:\n\(workers.map(\.log).joined())")
        let store = PostgresStore(try PostgresLocation(url: url), connections: 2)
        defer { store.close() }
        let after = try await store.scores(of: "restart")
        check(Array(after.prefix(before.count)) == before, "scores committed before the crash were lost")
        try await RunChecks.finished(store, experiment: "restart", budget: budget)
    }

    /// The experiment's scores once at least `count` are committed.
    private static func scoresOnceThereAre(atLeast count: Int, at url: String) async throws -> [ScoreRecord] {
        let store = PostgresStore(try PostgresLocation(url: url), connections: 1)
        defer { store.close() }
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            if let scores = try? await store.scores(of: "restart"), scores.count >= count { return scores }
            try await Task.sleep(for: .milliseconds(20))
        }
        Issue.record("the workers committed fewer than \(count) ready points in 60 s")
        return []
    }
}
