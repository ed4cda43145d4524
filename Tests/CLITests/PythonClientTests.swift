import Foundation
import Testing

/// The Python package `clients/python` (`pbt_client`): built as a wheel, installed from it into
/// a virtual environment under `.build/`, and its pytest suite run against the `pbt` built
/// beside these tests (real programs, real experiments). Skipped, with the reason printed,
/// without python3 or when pip cannot reach the package index.
@Suite("Python client package")
struct PythonClientTests {
    @Test func theWheelInstallsAndPassesItsPytestSuite() async throws {
        let build = repositoryRoot.appendingPathComponent(".build")
        let venv = build.appendingPathComponent("python-client-venv")
        let wheels = build.appendingPathComponent("python-client-wheels")
        let python = venv.appendingPathComponent("bin/python").path
        guard try await shell(["python3", "-c", "import venv"]).status == 0 else {
            print("skipped: python3 with the venv module is not available")
            return
        }
        if !FileManager.default.isExecutableFile(atPath: python) {
            let made = try await shell(["python3", "-m", "venv", venv.path])
            guard made.status == 0 else {
                print("skipped: python3 -m venv cannot make an environment:\n\(made.output.suffix(600))")
                return
            }
        }
        let probe = try await shell([python, "-m", "pip", "download", "--no-deps", "-d", wheels.path + "/probe", "pytest"])
        guard probe.status == 0 else {
            print("skipped: pip cannot fetch packages (no package index?):\n\(probe.output.suffix(600))")
            return
        }
        try? FileManager.default.removeItem(at: wheels.appendingPathComponent("pbt_client-0.1.0-py3-none-any.whl"))
        let wheel = try await shell([python, "-m", "pip", "wheel", "--no-deps", "-w", wheels.path, "./clients/python"])
        try #require(wheel.status == 0, "pip wheel ./clients/python failed:\n\(wheel.output)")
        let built = wheels.appendingPathComponent("pbt_client-0.1.0-py3-none-any.whl").path
        try #require(FileManager.default.fileExists(atPath: built), "no wheel at \(built):\n\(wheel.output)")
        let install = try await shell([
            python, "-m", "pip", "install", "--quiet", "--force-reinstall", "--no-deps", built,
        ])
        try #require(install.status == 0, "pip install of the wheel failed:\n\(install.output)")
        let tools = try await shell([python, "-m", "pip", "install", "--quiet", "pytest", "numpy"])
        try #require(tools.status == 0, "pip install pytest numpy failed:\n\(tools.output)")

        let tests = try await shell(
            [python, "-m", "pytest", "-ra", "-p", "no:cacheprovider", "clients/python/tests"],
            environment: ["PBT_BINARY": PBTProcess.executable.path])
        #expect(tests.status == 0, "pytest clients/python/tests failed:\n\(tests.output)")
        let lines = tests.output.split(separator: "\n")
        let summary = lines.last.map(String.init) ?? ""
        for skipped in lines where skipped.hasPrefix("SKIPPED") { print("clients/python: \(skipped)") }
        print("clients/python: \(summary)")
        #expect(summary.contains(" passed"), "pytest ran no test:\n\(tests.output)")
    }
}
