import Foundation
import PBTTestSupport
import Testing

/// The README's first command builds `pbt` with its default package traits, which leave out the
/// PostgreSQL store and the dashboard (Package.swift). `.ci/run` builds that binary
/// (`swift build -c release --product pbt`) and names it in `PBT_DEFAULT_BINARY`: it must run
/// the quadratic example, and refuse a `postgres://` store and `pbt serve` by naming the trait
/// to add, creating nothing. (The test suite itself builds with every trait.)
@Suite(
    "Default build",
    .enabled(
        if: ProcessInfo.processInfo.environment["PBT_DEFAULT_BINARY"] != nil,
        "PBT_DEFAULT_BINARY is not set (.ci/run builds pbt with the default traits and sets it)"))
struct DefaultBuildTests {
    let binary = ProcessInfo.processInfo.environment["PBT_DEFAULT_BINARY"] ?? ""

    @Test func theDefaultBuildRunsTheQuadraticExample() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let example = repositoryRoot.appendingPathComponent("examples/quadratic.yaml").path
        let run = try await shell([
            binary, "run", example, "--store", "sqlite:\(directory.url.path)/q.sqlite", "--quiet",
        ])
        #expect(run.status == 0, "\(run.output)")
        #expect(run.output.contains("best member"), "\(run.output)")
    }

    @Test func theDefaultBuildNamesTheTraitAPostgresStoreNeedsAndCreatesNothing() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let example = repositoryRoot.appendingPathComponent("examples/quadratic.yaml").path
        let run = try await shell(
            [binary, "run", example, "--store", "postgres://pbt@127.0.0.1:1/pbt", "--quiet"], directory: directory.url)
        #expect(run.status == 1, "\(run.output)")
        #expect(run.output.contains("package trait 'PostgreSQL'"), "\(run.output)")
        #expect(run.output.contains("swift build -c release --traits PostgreSQL"), "\(run.output)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.url.path).isEmpty)
    }

    @Test func theDefaultBuildNamesTheTraitTheDashboardNeeds() async throws {
        let serve = try await shell([binary, "serve", "--port", "0"])
        #expect(serve.status == 1, "\(serve.output)")
        #expect(serve.output.contains("package trait 'Dashboard'"), "\(serve.output)")
    }
}
