import ArgumentParser
import Foundation
import PBT
import PBTRuntime
import PBTStore
import PBTWorkloads

/// `pbt compare FILE`: PBT against parallel random search over several seeds.
struct CompareCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Run an experiment as PBT and as random search (exploit and explore none) over N seeds; compare final scores.",
        discussion: """
            Both arms use the same members, budget, initial hyperparameter draws and trainable seeds. \
            Each run is stored as its own experiment, NAME.pbt.seedS and NAME.random.seedS \
            (default store: runs/NAME.compare.sqlite), so it can be inspected and resumed.
            """
    )

    @Argument(help: "The experiment file (YAML).")
    var file: String

    @Option(help: "Seeds per arm, starting at the file's seed.")
    var seeds: Int = 5

    @Option(help: "Concurrent workers (default: the number of cores).")
    var workers: Int = ProcessInfo.processInfo.activeProcessorCount

    @Flag(help: "Print the result as one JSON object.")
    var json = false

    @OptionGroup var store: StoreOptions

    func validate() throws {
        guard seeds >= 1 else { throw ValidationError("--seeds must be at least 1, got \(seeds)") }
        guard workers >= 1 else { throw ValidationError("--workers must be at least 1, got \(workers)") }
    }

    func run() async throws {
        let config = try ExperimentConfig(contentsOf: file)
        let workload = try BuiltinWorkloads.make(config.workload)
        let (store, _) = try self.store.open(experiment: "\(config.name).compare", create: true)
        defer { try? (store as? SQLiteStore)?.close() }  // lets go of the file's lock
        let comparison = Comparison(config: config, seeds: seeds)
        let start = ContinuousClock.now
        let (pbt, random) = try await comparison.run(store: store, workload: workload, workers: workers) { variant in
            FileHandle.standardError.write(Data("pbt compare: running \(variant.name)\n".utf8))
        }
        let elapsed = ContinuousClock.now - start
        let test = MannWhitneyU(pbt.scores, random.scores)
        let wins = zip(pbt.scores, random.scores).filter { config.mode.fitness($0) > config.mode.fitness($1) }.count
        if json {
            let result = ComparisonReport(
                experiment: config.name, seeds: comparison.seeds, pbt: pbt, random: random,
                mannWhitneyU: test?.statistic, pValue: test?.pValue, pbtWins: wins,
                seconds: Double(elapsed.components.seconds))
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            print(String(decoding: try encoder.encode(result), as: UTF8.self))
            return
        }
        print("compare \(config.name): \(seeds) seeds × \(config.population) members × \(config.schedule.steps) steps, best member's final score (\(config.mode.rawValue) is better)")
        print("  arm       median       min       max   scores by seed")
        for arm in [pbt, random] {
            let row = String(format: "  %-6@ %9.4f %9.4f %9.4f   ", arm.name as NSString, arm.median, arm.scores.min()!, arm.scores.max()!)
            print(row + arm.scores.map { String(format: "%.4f", $0) }.joined(separator: " "))
        }
        if let test {
            print(String(format: "  PBT better in %d of %d seeds; Mann-Whitney U = %.1f, two-sided p = %.4g", wins, seeds, test.statistic, test.pValue))
        }
    }
}

/// `pbt compare --json` output.
struct ComparisonReport: Codable {
    var experiment: String
    var seeds: [UInt64]
    var pbt: Comparison.Arm
    var random: Comparison.Arm
    var mannWhitneyU: Double?
    var pValue: Double?
    var pbtWins: Int
    var seconds: Double
}
