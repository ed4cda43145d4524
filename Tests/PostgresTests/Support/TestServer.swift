import Foundation
import PBTPostgres
import PBTStore
import PBTTestSupport
import Testing

/// The PostgreSQL server of the tests (`PBT_TEST_POSTGRES_URL`, started by `.ci/run`).
enum TestServer {
    /// The server's URL, or nil when none is configured (the tests that need one are skipped).
    static let url: String? = {
        let url = ProcessInfo.processInfo.environment["PBT_TEST_POSTGRES_URL"]
        return url?.isEmpty == false ? url : nil
    }()

    /// Why the server tests are skipped.
    static let skipReason: Comment = "PBT_TEST_POSTGRES_URL is not set (.ci/run starts a server and sets it)"

    /// `base` (default: the test server) with its tables in a fresh schema, plus `parameters`.
    static func freshURL(_ base: String? = url, _ parameters: String = "") throws -> String {
        let base = try #require(base)
        let schema = "p_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        return base + (base.contains("?") ? "&" : "?") + "schema=\(schema)"
            + (parameters.isEmpty ? "" : "&" + parameters)
    }
}

/// A private PostgreSQL server that a test may stop and start (`.ci/postgres-server`).
final class PrivateServer: Sendable {
    let directory: String
    let url: String

    /// Starts a server on a random high port.
    init() throws {
        (directory, url) = try Self.started()
    }

    /// A new server's directory and URL, trying up to three ports: one may be in use (the
    /// range overlaps the one clients' connections are given ports from).
    private static func started() throws -> (directory: String, url: String) {
        var attempt = 1
        while true {
            let directory = NSTemporaryDirectory() + "pbt-pg-" + UUID().uuidString.prefix(8)
            let port = 40_000 + Int.random(in: 0..<20_000)
            do {
                let url = try script(["start", directory, String(port)])
                return (directory, url.trimmingCharacters(in: .whitespacesAndNewlines))
            } catch {
                _ = try? script(["stop", directory])
                try? FileManager.default.removeItem(atPath: directory)
                guard attempt < 3 else { throw error }
                attempt += 1
            }
        }
    }

    /// Shuts it down: `fast`, or `immediate` (no checkpoint: recovery on start, as after a crash).
    func stop(mode: String = "fast") throws { _ = try Self.script(["stop", directory, mode]) }

    /// Starts it again with the same data and port.
    func start() throws { _ = try Self.script(["start-again", directory]) }

    /// Stops it for good and removes its files.
    func remove() {
        _ = try? Self.script(["stop", directory])
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Runs the script and waits for it with `waitpid`; its output goes through a file, not a
    /// pipe, because the server it starts may inherit the descriptor and keep a pipe open
    /// forever. (Not `Process`: its exit monitor sometimes misses a child that exits while the
    /// server it started daemonizes, and `waitUntilExit` then never returns.)
    private static func script(_ arguments: [String]) throws -> String {
        let outputPath = NSTemporaryDirectory() + "pbt-pg-script-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: outputPath) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        let script = repositoryRoot.appendingPathComponent(".ci/postgres-server").path
        let argv = (["/bin/bash", script] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        guard posix_spawn(&pid, "/bin/bash", &actions, nil, argv, environ) == 0 else {
            throw StoreError(.unavailable, "could not start .ci/postgres-server")
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        guard status == 0 else {
            throw StoreError(
                .unavailable, ".ci/postgres-server \(arguments.joined(separator: " ")) failed (status \(status))")
        }
        return (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
    }
}
