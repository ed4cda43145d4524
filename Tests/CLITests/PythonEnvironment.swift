import Foundation
import PBTTestSupport

/// A Python virtual environment under `.build/NAME` whose pip reaches the package index, made
/// once and reused; nil, with the reason printed, without python3's venv module or when pip
/// cannot fetch `probe` (no package index): the tests that need it then skip.
/// - Returns: the environment's `python`.
func pythonEnvironment(_ name: String, probe: String) async throws -> String? {
    let build = repositoryRoot.appendingPathComponent(".build")
    let venv = build.appendingPathComponent(name)
    let python = venv.appendingPathComponent("bin/python").path
    guard try await shell(["python3", "-c", "import venv"]).status == 0 else {
        print("skipped: python3 with the venv module is not available")
        return nil
    }
    if !FileManager.default.isExecutableFile(atPath: python) {
        let made = try await shell(["python3", "-m", "venv", venv.path])
        guard made.status == 0 else {
            print("skipped: python3 -m venv cannot make an environment:\n\(made.output.suffix(600))")
            return nil
        }
    }
    let probed = build.appendingPathComponent("\(name)-probe").path
    let probing = try await shell([python, "-m", "pip", "download", "--no-deps", "-d", probed, probe])
    guard probing.status == 0 else {
        print("skipped: pip cannot fetch packages (no package index?):\n\(probing.output.suffix(600))")
        return nil
    }
    return python
}
