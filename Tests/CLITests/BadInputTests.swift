import Foundation
import PBTTestSupport
import Testing

/// Bad input to `run`, `status`, `export`, `schedule`, `replay` and `list`: a clear message,
/// an exit status other than 0, and nothing written.
@Suite("CLI: bad input")
struct BadInputTests {
    /// A directory holding a finished 2-member experiment `small` in `store.sqlite`.
    private func finishedExperiment() async throws -> TemporaryDirectory {
        let directory = try TemporaryDirectory()
        try directory.write("small.yaml", quadraticExperiment(name: "small", population: 2, steps: 40, interval: 4))
        try await pbt(
            ["run", "small.yaml", "--workers", "1", "--quiet", "--store", "sqlite:store.sqlite"], in: directory)
        return directory
    }

    @Test func aSecondRunOnAStoreInUseIsRefusedWhileReadersStillRead() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.write(
            "long.yaml", quadraticExperiment(name: "long", population: 2, steps: 10_000_000, interval: 4))
        let store = ["--store", "sqlite:store.sqlite"]
        let first = try PBTProcess(["run", "long.yaml", "--workers", "1", "--quiet"] + store, in: directory.url)
        // Let it run until the experiment is in the file, then hold it still (it keeps the lock).
        first.stop()
        var started = false
        while !started, first.isRunning {
            await first.run(for: .milliseconds(50))
            started = try await PBTProcess.run(["status", "long"] + store, in: directory.url).status == 0
        }
        #expect(started && FileManager.default.fileExists(atPath: directory.path + "/store.sqlite-lock"))
        try await refuse(
            ["run", "long.yaml", "--workers", "1"] + store, in: directory,
            mentioning: ["store.sqlite", "in use by another process", "postgres://"])
        try await refuse(
            ["replay", "long", "--member", "0"] + store, in: directory, mentioning: ["in use by another process"])
        #expect(try await pbt(["export", "long", "--format", "csv"] + store, in: directory).stdout.hasPrefix("kind,"))
        first.kill()
        await first.waitForExit()
    }

    @Test func readCommandsRefuseAMissingStoreAndCreateNothing() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        for command in [
            ["status", "absent"], ["export", "absent", "--format", "csv"], ["schedule", "absent", "--member", "0"],
        ] {
            try await refuse(command, in: directory, mentioning: ["runs/absent.sqlite", "does not exist"])
        }
        try await refuse(
            ["status", "absent", "--store", "sqlite:elsewhere.sqlite"], in: directory, mentioning: ["elsewhere.sqlite"])
        try await refuse(["list"], in: directory, mentioning: ["runs/", "--store"])
        try await refuse(["replay", "absent", "--member", "0"], in: directory, mentioning: ["does not exist"])
    }

    @Test func readCommandsRefuseAFileThatIsNotAStore() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.write("garbage.sqlite", "not a database, only text\n")
        try directory.write("empty.sqlite", "")
        for file in ["garbage.sqlite", "empty.sqlite"] {
            for command in [
                ["status", "x"], ["export", "x", "--format", "json"], ["schedule", "x", "--member", "0"], ["list"],
            ] {
                try await refuse(command + ["--store", "sqlite:\(file)"], in: directory, mentioning: [file])
            }
        }
    }

    @Test func readCommandsRefuseAReadOnlyStore() async throws {
        let directory = try await finishedExperiment()
        defer { directory.remove() }
        try FileManager.default.setAttributes(
            [.posixPermissions: 0o444], ofItemAtPath: directory.path + "/store.sqlite")
        for command in [["status", "small"], ["export", "small", "--format", "csv"], ["list"]] {
            try await refuse(command + ["--store", "sqlite:store.sqlite"], in: directory, mentioning: ["read-only"])
        }
    }

    @Test func unknownSchemesExperimentsAndMembersAreNamed() async throws {
        let directory = try await finishedExperiment()
        defer { directory.remove() }
        let store = ["--store", "sqlite:store.sqlite"]
        try await refuse(
            ["status", "small", "--store", "ftp://host/x"], in: directory,
            mentioning: ["unknown scheme 'ftp'", "sqlite:PATH"])
        try await refuse(
            ["export", "small", "--format", "csv", "--store", "memory:"], in: directory, mentioning: ["memory:"])
        try await refuse(
            ["status", "other"] + store, in: directory, mentioning: ["no experiment named 'other'", "small"])
        try await refuse(["export", "other", "--format", "json"] + store, in: directory, mentioning: ["'other'"])
        try await refuse(
            ["schedule", "small", "--member", "2"] + store, in: directory, mentioning: ["no member 2", "0...1"])
        try await refuse(["schedule", "small", "--member=-1"] + store, in: directory, mentioning: ["no member -1"])
        try await refuse(["replay", "small", "--member", "5"] + store, in: directory, mentioning: ["no member 5"])
        try await refuse(
            ["replay", "small", "--member", "0", "--as", "small"] + store, in: directory, mentioning: ["new name"])
        try await refuse(
            ["replay", "small", "--member", "0", "--as", "a b"] + store, in: directory, mentioning: ["--as"])
        try await refuse(["export", "small", "--format", "xml"] + store, in: directory, mentioning: ["xml"])
        try await refuse(
            ["export", "small", "--format", "csv", "--output", "no/such/dir.csv"] + store, in: directory,
            mentioning: ["cannot write"])
    }

    @Test func runRefusesBadFilesAndOptions() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.write(
            "bad.yaml",
            quadraticExperiment(name: "bad", population: 2, steps: 40, interval: 4)
                .replacingOccurrences(of: "fraction: 0.25", with: "fraction: 2"))
        try directory.write("good.yaml", quadraticExperiment(name: "good", population: 2, steps: 40, interval: 4))
        try await refuse(["run", "missing.yaml"], in: directory, mentioning: ["missing.yaml", "cannot read"])
        try await refuse(["run", "bad.yaml"], in: directory, mentioning: ["bad.yaml", "exploit.fraction"])
        try await refuse(["run", "good.yaml", "--workers", "0"], in: directory, mentioning: ["--workers"])
        try await refuse(["run", "good.yaml", "--store", "ftp://x"], in: directory, mentioning: ["unknown scheme"])
        try await refuse(
            ["run", "good.yaml", "--store", "sqlite:no/dir/x.sqlite"], in: directory, mentioning: ["does not exist"])
    }

    @Test func outputPathsThatCannotBeWrittenAreExplainedInWords() async throws {
        let directory = try await finishedExperiment()
        defer { directory.remove() }
        let store = ["--store", "sqlite:store.sqlite"]
        try await refuse(["report", "small", "--out", "."] + store, in: directory, mentioning: ["'.'", "is a folder"])
        try await refuse(
            ["report", "small", "--out", "no/such/r.html"] + store, in: directory,
            mentioning: ["the folder 'no/such' does not exist"])
        try await refuse(
            ["export", "small", "--format", "csv", "--output", "no/x.csv"] + store, in: directory,
            mentioning: ["the folder 'no' does not exist"])
    }

    @Test func runRefusesDomainsTheWorkloadCannotTakeBeforeCreatingAnything() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let cartpole = """
            name: wide
            workload: cartpole
            population: 2
            steps: 10
            interval: 5
            hyperparameters:
              lr: {loguniform: [1e-4, 1e-2]}
              unroll: {int: [100000000, 1000000000]}

            """
        try directory.write("wide.yaml", cartpole)
        try await refuse(
            ["run", "wide.yaml"], in: directory,
            mentioning: ["wide.yaml:8", "hyperparameters.unroll", "an integer in 1...512", "100000000"])
        try directory.write(
            "real.yaml", cartpole.replacingOccurrences(of: "{int: [100000000, 1000000000]}", with: "{uniform: [2, 8]}"))
        try await refuse(
            ["run", "real.yaml"], in: directory, mentioning: ["real.yaml:8", "hyperparameters.unroll", "int:"])
        try directory.write("unread.yaml", cartpole.replacingOccurrences(of: "unroll:", with: "momentum:"))
        try await refuse(
            ["run", "unread.yaml"], in: directory, mentioning: ["hyperparameters.momentum", "does not read it"])
        try await refuse(["worker", "--file", "wide.yaml"], in: directory, mentioning: ["hyperparameters.unroll"])
        try directory.write(
            "both.yaml",
            cartpole.replacingOccurrences(
                of: "unroll: {int: [100000000, 1000000000]}",
                with: "gamma: {uniform: [0.9, 0.99]}\n  horizon: {loguniform: [10, 100]}"))
        try await refuse(
            ["run", "both.yaml"], in: directory,
            mentioning: ["hyperparameters.horizon", "instead of gamma", "give one of them"])
    }

    @Test func aWorkerRunsTheProgramFromItsOwnFolderWithDir() async throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/jq") else {
            print("skipped: examples/shell/climb.sh needs jq (apt-get install jq)")
            return
        }
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let examples = repositoryRoot.appendingPathComponent("examples/shell")
        try FileManager.default.createDirectory(
            atPath: directory.path + "/created-here", withIntermediateDirectories: true)
        for file in ["climb.sh", "climb.yaml"] {
            try FileManager.default.copyItem(
                atPath: examples.appendingPathComponent(file).path, toPath: directory.path + "/created-here/\(file)")
        }
        let store = ["--store", "sqlite:s.sqlite"]
        // Created, and partly trained, on one machine (killed after its first commits)...
        let first = try PBTProcess(
            ["worker", "--file", "created-here/climb.yaml", "--workers", "1", "--quiet"] + store, in: directory.url)
        first.stop()
        var scored = false
        while !scored, first.isRunning {
            await first.run(for: .milliseconds(50))
            let status = try await PBTProcess.run(["status", "shell-climb"] + store, in: directory.url).stdout
            scored = !status.isEmpty && !status.contains(" 0 scores")
        }
        first.kill()
        await first.waitForExit()
        // ...and the program's folder is elsewhere on this one.
        try FileManager.default.moveItem(
            atPath: directory.path + "/created-here", toPath: directory.path + "/elsewhere")
        try await pbt(["status", "shell-climb"] + store, in: directory)
        let missing = try await PBTProcess.run(
            ["worker", "--experiment", "shell-climb", "--workers", "1", "--quiet"] + store, in: directory.url)
        #expect(
            missing.status != 0 && missing.stderr.contains("created-here") && missing.stderr.contains("--dir"),
            "\(missing.stderr)")
        try await pbt(
            ["worker", "--experiment", "shell-climb", "--dir", "elsewhere", "--workers", "1", "--quiet"] + store,
            in: directory)
        let status = try await pbt(["status", "shell-climb"] + store, in: directory).stdout
        #expect(status.contains("4/4 members done"), "\(status)")
    }

    @Test func aRunWhoseEveryMemberFailedExitsWithStatus3() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.write(
            "failing.yaml",
            """
            name: failing
            workload: {command: [sh, -c, "exit 7"], max_failures: 1}
            population: 2
            steps: 4
            interval: 2
            hyperparameters:
              lr: {uniform: [0, 1]}

            """)
        let output = try await PBTProcess.run(["run", "failing.yaml", "--workers", "1", "--quiet"], in: directory.url)
        #expect(output.status == 3, "\(output.stderr)")
        #expect(output.stderr.contains("every member failed"))
        let status = try await pbt(["status", "failing"], in: directory)
        #expect(status.stdout.contains("0/2 members done, 2 failed"))
    }

    @Test func runRefusesAChangedConfigurationShowingTheDifference() async throws {
        let directory = try await finishedExperiment()
        defer { directory.remove() }
        let export = ["export", "small", "--format", "json", "--store", "sqlite:store.sqlite"]
        let before = try await pbt(export, in: directory).stdout
        try directory.write(
            "small.yaml", quadraticExperiment(name: "small", population: 2, steps: 40, interval: 4, seed: 8))
        try await refuse(
            ["run", "small.yaml", "--store", "sqlite:store.sqlite"], in: directory, mentioning: ["seed: 7 → 8"],
            sameBytes: false)
        #expect(try await pbt(export, in: directory).stdout == before, "the refused run changed the experiment")
    }
}
