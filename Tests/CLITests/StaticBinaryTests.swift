import Foundation
import PBTTestSupport
import Testing

/// The static build (`swift build -c release --static-swift-stdlib --product pbt`), which
/// machines without Swift run: `.ci/run` builds it before the tests and names it in
/// `PBT_STATIC_BINARY`; this test runs it on the quadratic example in an environment without
/// Swift's libraries. Skipped, with the reason printed, when the variable is not set (a local
/// `swift test` does not spend the quarter of an hour the build takes).
@Suite("Static binary")
struct StaticBinaryTests {
    @Test func theStaticBinaryRunsTheQuadraticExampleWithoutSwiftsLibraries() async throws {
        guard let binary = ProcessInfo.processInfo.environment["PBT_STATIC_BINARY"] else {
            print("skipped: PBT_STATIC_BINARY is not set (.ci/run builds the static binary and sets it)")
            return
        }
        let libraries = try await shell(["ldd", binary])
        #expect(
            !libraries.output.contains("libswift") && !libraries.output.contains("libFoundation"),
            "the static binary links Swift's libraries:\n\(libraries.output)")
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let example = repositoryRoot.appendingPathComponent("examples/quadratic.yaml").path
        // Only the system's folders on PATH, and no library path: nothing of the toolchain.
        let run = try await shell(
            [binary, "run", example, "--store", "sqlite:\(directory.url.path)/q.sqlite", "--quiet"],
            environment: ["PATH": "/usr/bin:/bin", "LD_LIBRARY_PATH": ""])
        #expect(run.status == 0, "\(run.output)")
        #expect(run.output.contains("best member"), "\(run.output)")
        let status = try await shell([
            binary, "status", "quadratic-pbt", "--store", "sqlite:\(directory.url.path)/q.sqlite",
        ])
        #expect(status.status == 0 && status.output.contains("done"), "\(status.output)")
    }
}
