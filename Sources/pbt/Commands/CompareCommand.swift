import ArgumentParser
import Foundation
import PBT
import PBTRuntime
import PBTStore

/// `pbt compare FILE`: PBT against random search and the best fixed configuration over N seeds.
struct CompareCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract:
            """
            Run an experiment as PBT, as random search and with the best fixed configuration over N seeds; \
            compare final scores.
            """,
        discussion: """
            Every arm uses the same members, budget and trainable seeds. pbt runs the file as it is; random \
            runs the same initial draws with exploit and explore none; fixed (after the others) gives every \
            member the hyperparameters of the best member of all random runs, and keeps them; pb2 (only when \
            asked for, e.g. --arms pbt,pb2,random) runs the file's exploit with PB2 exploring. Each run is \
            stored as its own experiment NAME.ARM.seedS (default store: runs/NAME.compare.sqlite), so it can \
            be inspected, reported and resumed. PBT is tested against each other arm with a one-sided \
            Mann-Whitney U test (PBT better) and the Vargha-Delaney A12; compute is counted in training steps \
            actually run: a member that copies a donor trains again (or skips) the steps between its step and the \
            donor's.
            """
    )

    @Argument(help: "The experiment file (YAML).")
    var file: String

    @Option(parsing: .unconditional, help: "Runs per arm, one per seed.")
    var seeds: Int = 5

    @Option(
        parsing: .unconditional,
        help: ArgumentHelp("The first seed; runs use seeds S…S+N−1 (default: the file's seed).", valueName: "S"))
    var firstSeed: String?

    @Option(help: ArgumentHelp("The arms to run, comma-separated: \(ComparisonArm.allowedNames).", valueName: "list"))
    var arms: String = ComparisonArm.defaults.map(\.rawValue).joined(separator: ",")

    @Option(
        help:
            """
            Runs trained at once, each by one worker so that every run is reproducible bit for bit (default: \
            the number of cores).
            """
    )
    var workers: Int = ProcessInfo.processInfo.activeProcessorCount

    @Flag(help: "Print the result as one JSON object.")
    var json = false

    @Flag(help: "No progress output.")
    var quiet = false

    @OptionGroup var store: StoreOptions

    func validate() throws {
        guard workers >= 1 else { throw ValidationError("--workers must be at least 1, got \(workers)") }
        _ = try parsedFirstSeed()
        _ = try parsedArms()
    }

    /// `--first-seed` as a seed: a whole number from 0 to the largest 64-bit seed.
    private func parsedFirstSeed() throws -> UInt64? {
        guard let firstSeed else { return nil }
        guard let seed = UInt64(firstSeed) else {
            throw ValidationError("--first-seed must be a whole number from 0 to \(UInt64.max), got '\(firstSeed)'")
        }
        return seed
    }

    /// `--arms` as arms.
    private func parsedArms() throws -> [ComparisonArm] {
        try arms.split(separator: ",", omittingEmptySubsequences: false).map {
            let name = $0.trimmingCharacters(in: .whitespaces)
            guard let arm = ComparisonArm(rawValue: name) else {
                throw ValidationError("--arms: unknown arm '\(name)'; allowed: \(ComparisonArm.allowedNames)")
            }
            return arm
        }
    }

    func run() async throws {
        let config = try WorkloadFactory.config(contentsOf: file)
        let comparison = try Comparison(
            config: config, firstSeed: try parsedFirstSeed(), seeds: seeds, arms: try parsedArms())
        let location = try self.store.location(experiment: "\(config.name).compare")
        try LocalRunner.check(config, try WorkloadFactory.make(config, store: location))  // a refusal creates nothing
        let store = try await openChecked(location, for: comparison)
        defer { try? store.close() }  // lets go of the file's lock
        let start = ContinuousClock.now
        let quiet = self.quiet
        let result = try await comparison.run(
            store: store, storeCalls: location.storeCalls, concurrentRuns: workers,
            workload: { try WorkloadFactory.make($0, store: location) },
            progress: { progress in
                guard !quiet else { return }
                let elapsed = ContinuousClock.now - start
                let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
                FileHandle.standardError.write(Data("pbt compare: \(progress.line(elapsed: seconds))\n".utf8))
            })
        print(json ? try JSONOutput.text(result) : ComparisonText(result).description)
    }

    /// Opens the comparison's store for writing after refusing one that holds runs of this
    /// comparison's name with another configuration. Nothing is written before the check: a
    /// SQLite file that does not exist yet holds no runs, an existing one is first only read.
    private func openChecked(_ location: StoreLocation, for comparison: Comparison) async throws -> any PopulationStore
    {
        guard case .sqlite(let path) = location else {
            let store = try StoreOptions.open(location, create: true)
            try await comparison.checkStoredRuns(in: store, location: location.description)
            return store
        }
        if FileManager.default.fileExists(atPath: path) {
            let reader = try StoreOptions.open(location, create: false, writing: false)
            defer { try? reader.close() }
            try await comparison.checkStoredRuns(in: reader, location: path)
        }
        return try StoreOptions.open(location, create: true)
    }
}
