import Foundation
import PBTTestSupport
import Testing

/// `pbt checkpoint`: a member's trained state out of the store, exactly as it was saved.
@Suite("CLI: checkpoint")
struct CheckpointCommandTests {
    @Test("an external program's checkpoint comes out as the program saved it: the best member's state gives its score")
    func externalProgramsStateComesOutAsSaved() async throws {
        guard let directory = try shellExample() else { return }
        defer { directory.remove() }
        try await pbt(["run", "climb.yaml", "--quiet"], in: directory)
        let status = try await pbt(["status", "shell-climb", "--json"], in: directory)
        let members = try #require(
            (try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any])?["members"]
                as? [[String: Any]])
        let best = try #require(members.max { ($0["score"] as? Double ?? -1) < ($1["score"] as? Double ?? -1) })

        let output = try await pbt(["checkpoint", "shell-climb", "--best", "--out", "model.txt"], in: directory)
        #expect(output.stderr.contains("member \(best["member"] as! Int) at step 40"))
        // climb.sh saves its parameter x as text and scores −(x − 1)².
        let saved = try String(contentsOf: directory.url.appendingPathComponent("model.txt"), encoding: .utf8)
        let x = try #require(Double(saved.trimmingCharacters(in: .whitespacesAndNewlines)), "saved: '\(saved)'")
        #expect(abs(-(x - 1) * (x - 1) - (best["score"] as! Double)) < 1e-12)

        try await refuse(
            ["checkpoint", "shell-climb", "--member", "0", "--out", "model.txt"], in: directory,
            mentioning: ["--out", "exists", "nothing is overwritten"])
        try await refuse(
            ["checkpoint", "shell-climb", "--member", "7", "--out", "other.txt"], in: directory,
            mentioning: ["--member", "members 0…3", "got 7"])
        try await refuse(
            ["checkpoint", "shell-climb", "--out", "other.txt"], in: directory, mentioning: ["--member N or --best"])
        try await refuse(
            ["checkpoint", "nothing", "--best", "--out", "other.txt"], in: directory,
            mentioning: ["no store at 'runs/nothing.sqlite'"])
    }

    @Test("a checkpoint file found damaged while it is written out is refused and leaves nothing at --out")
    func aDamagedCheckpointFileLeavesNothing() async throws {
        guard let directory = try shellExample() else { return }
        defer { directory.remove() }
        // climb.sh with 17 MB of padding after x: a checkpoint above the 16 MiB file threshold,
        // kept as a file beside the store and verified only as it is read.
        let padded = "{ echo \"$x\"; head -c 17000000 /dev/zero; } >\"$path\""
        let script = try String(contentsOf: directory.url.appendingPathComponent("climb.sh"), encoding: .utf8)
            .replacingOccurrences(of: "echo \"$x\" >\"$path\"", with: padded)
            .replacingOccurrences(of: "x=$(cat ", with: "x=$(head -n 1 ")
        try #require(script.contains("head -c 17000000") && script.contains("head -n 1"))
        try directory.write("climb.sh", script)
        let config = try String(contentsOf: directory.url.appendingPathComponent("climb.yaml"), encoding: .utf8)
            .replacingOccurrences(of: "population: 4", with: "population: 2")
            .replacingOccurrences(of: "steps: 40", with: "steps: 10")
        try directory.write("climb.yaml", config)
        try await pbt(["run", "climb.yaml", "--quiet"], in: directory)
        let files = directory.url.appendingPathComponent("runs/shell-climb.sqlite-checkpoints")
        let names = try FileManager.default.contentsOfDirectory(atPath: files.path)
        try #require(!names.isEmpty)
        for name in names {
            let handle = try FileHandle(forWritingTo: files.appendingPathComponent(name))
            try handle.seek(toOffset: 1_000_000)
            handle.write(Data([0x55]))
            try handle.close()
        }
        try await refuse(
            ["checkpoint", "shell-climb", "--best", "--out", "model.txt"], in: directory,
            mentioning: ["corrupt", "shell-climb.sqlite-checkpoints"])
    }

    @Test("a built-in workload's checkpoint comes out as the stored bytes")
    func builtInStateComesOut() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.write("quad.yaml", quadraticExperiment(name: "quad", population: 2, steps: 8, interval: 4))
        // Two workers: member 1 may copy member 0 after member 0 finished, and is then done with
        // member 0's weights and score (a copy that ends a member at the budget moves the score).
        try await pbt(["run", "quad.yaml", "--quiet", "--workers", "2"], in: directory)
        let status = try await pbt(["status", "quad", "--json"], in: directory)
        let members = try #require(
            (try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any])?["members"]
                as? [[String: Any]])
        try await pbt(["checkpoint", "quad", "--member", "1", "--out", "state.bin"], in: directory)
        // The quadratic saves θ as two little-endian doubles and scores Q(θ) = 1.2 − (θ0² + θ1²).
        let bytes = [UInt8](try Data(contentsOf: directory.url.appendingPathComponent("state.bin")))
        try #require(bytes.count == 16)
        let theta = (0..<2).map { index in
            Double(bitPattern: (0..<8).reduce(UInt64(0)) { $0 | UInt64(bytes[8 * index + $1]) << (8 * UInt64($1)) })
        }
        #expect(abs(1.2 - (theta[0] * theta[0] + theta[1] * theta[1]) - (members[1]["score"] as! Double)) < 1e-12)
    }

    /// The quadratic's score of a saved state: θ as two little-endian doubles, Q(θ) = 1.2 − |θ|².
    private static func quadraticScore(_ file: URL) throws -> Double {
        let bytes = [UInt8](try Data(contentsOf: file))
        try #require(bytes.count == 16)
        let theta = (0..<2).map { index in
            Double(bitPattern: (0..<8).reduce(UInt64(0)) { $0 | UInt64(bytes[8 * index + $1]) << (8 * UInt64($1)) })
        }
        return 1.2 - (theta[0] * theta[0] + theta[1] * theta[1])
    }

    @Test(
        "--step S writes the member's checkpoint at step S; a step the store lacks is refused, listing those it keeps"
    )
    func aCheckpointAtAnEarlierStep() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.write("quad.yaml", quadraticExperiment(name: "quad", population: 2, steps: 12, interval: 4))
        try await pbt(["run", "quad.yaml", "--quiet", "--workers", "1"], in: directory)
        let export = try await pbt(["export", "quad", "--format", "json"], in: directory)
        let scores = try #require(
            (try JSONSerialization.jsonObject(with: Data(export.stdout.utf8)) as? [String: Any])?["scores"]
                as? [[String: Any]])
        // The store keeps each member's last 2 checkpoints: steps 8 and 12.
        for step in [8, 12] {
            let out = "member0-step\(step).bin"
            let output = try await pbt(
                ["checkpoint", "quad", "--member", "0", "--step", "\(step)", "--out", out], in: directory)
            #expect(output.stderr.contains("member 0 at step \(step)"), "\(output.stderr)")
            let recorded = try #require(
                scores.last { $0["member"] as? Int == 0 && $0["step"] as? Int == step }?["score"] as? Double)
            #expect(abs(try Self.quadraticScore(directory.url.appendingPathComponent(out)) - recorded) < 1e-12)
        }
        try await refuse(
            ["checkpoint", "quad", "--member", "0", "--step", "4", "--out", "old.bin"], in: directory,
            mentioning: ["--step", "no checkpoint of member 0 at step 4", "it keeps steps 8, 12"])
        try await refuse(
            ["checkpoint", "quad", "--member", "0", "--step=-1", "--out", "old.bin"], in: directory,
            mentioning: ["--step must be 0 or more"])
    }
}
