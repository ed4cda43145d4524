import Foundation
import PBT
import PBTStore

extension Comparison {
    /// Refuses a store that already holds runs of a comparison of the same name with another
    /// configuration, before anything is written: every stored run `NAME.ARM.seedS` must have
    /// the configuration this comparison would give it (for `fixed`, whose members' initial
    /// hyperparameters come from random search's results, everything but their values).
    ///
    /// Runs of other seeds count too: one store holds one comparison of a name.
    /// - Parameters:
    ///   - store: the store the comparison would run in.
    ///   - location: the store as shown in the message.
    /// - Throws: `ComparisonError.storeHoldsAnotherConfiguration`, naming the run and the
    ///   differing fields, suggesting another `--store` or deleting the file.
    public func checkStoredRuns(in store: any PopulationStore, location: String) async throws {
        for record in try await store.experiments() {
            guard let run = ComparisonRunName(parsing: record.name), run.base == config.name else { continue }
            // The fixed arm's initial hyperparameters come from random search's results: take the
            // stored ones as given (the random runs they came from are checked themselves).
            let stored = try? JSONDecoder().decode(ExperimentConfig.self, from: Data(record.configuration.utf8))
            let fixed = FixedConfiguration(
                hyperparameters: stored?.initial.first ?? Hyperparameters(), experiment: "", member: 0, score: 0)
            let expected = try run.arm.configuration(of: config, seed: run.seed, fixed: fixed)
            let expectedText = try expected.canonicalJSON()
            guard record.configuration != expectedText || record.population != expected.population else { continue }
            throw ComparisonError(
                .storeHoldsAnotherConfiguration,
                "\(location) already holds a comparison '\(config.name)' of another configuration (run \(record.name) "
                    + "differs from what this file gives it):\n"
                    + ConfigurationDiff(stored: record.configuration, requested: expectedText).description
                    + "\nUse another --store, or delete \(location) to start the comparison afresh.")
        }
    }
}
