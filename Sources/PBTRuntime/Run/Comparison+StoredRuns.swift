import Foundation
import PBT
import PBTStore

extension Comparison {
    /// Refuses a store that already holds runs of a comparison of the same name with another
    /// configuration, before anything is written: every stored run `NAME.ARM.seedS` must have
    /// the configuration this comparison would give it (for `fixed`, whose members' initial
    /// hyperparameters depend on random search's results, everything else).
    ///
    /// Runs of other seeds count too: one store holds one comparison of a name.
    /// - Parameter location: the store as shown in the message.
    /// - Throws: `ComparisonError.storeHoldsAnotherConfiguration`, naming the run and the
    ///   differing fields, suggesting another `--store` or deleting the file.
    public func checkStoredRuns(in store: any PopulationStore, location: String) async throws {
        for record in try await store.experiments() {
            guard let run = ComparisonRunName(parsing: record.name), run.base == config.name else { continue }
            var expected = try run.arm.configuration(
                of: config, seed: run.seed,
                fixed: FixedConfiguration(hyperparameters: Hyperparameters(), experiment: "", member: 0, score: 0))
            var storedText = record.configuration
            if run.arm == .fixed {
                expected.initial = []
                if var stored = try? JSONDecoder().decode(ExperimentConfig.self, from: Data(storedText.utf8)) {
                    stored.initial = []
                    storedText = try stored.canonicalJSON()
                }
            }
            let expectedText = try expected.canonicalJSON()
            guard storedText != expectedText || record.population != expected.population else { continue }
            throw ComparisonError(
                .storeHoldsAnotherConfiguration,
                "\(location) already holds a comparison '\(config.name)' of another configuration (run \(record.name) "
                    + "differs from what this file gives it):\n"
                    + ConfigurationDiff(stored: storedText, requested: expectedText).description
                    + "\nUse another --store, or delete \(location) to start the comparison afresh.")
        }
    }
}
