import Foundation
import PBT
import PBTRuntime
import PBTStore

/// An experiment opened by a command that reads it: the store must exist, and nothing in it is
/// created, migrated or written (but what a replay adds).
struct ExperimentReader {
    /// The store, opened for reading.
    let store: any PopulationStore
    /// Where it is (shown with any password hidden).
    let location: StoreLocation
    /// The experiment.
    let record: ExperimentRecord
    /// The experiment file's settings; nil when the stored configuration is not one `pbt run`
    /// wrote (then the mode is taken to be `max`).
    let config: ExperimentConfig?

    /// Whether higher or lower scores are better.
    var mode: ScoreMode { config?.mode ?? .max }

    /// Opens experiment `name` in the store `options` names (default `runs/NAME.sqlite`),
    /// runs `body`, and closes the store whatever happens. With `writing`, the store is opened
    /// to add to (a replay), still only if it exists.
    /// - Throws: `StoreError` for a missing, unreadable or foreign store, or an unknown
    ///   experiment (naming the experiments the store holds).
    static func with<T>(
        _ name: String, _ options: StoreOptions, writing: Bool = false, _ body: (ExperimentReader) async throws -> T
    ) async throws -> T {
        let (store, location) = try options.open(experiment: name, create: false, writing: writing)
        defer { try? store.close() }
        guard let record = try await store.experiment(named: name) else {
            let names = try await store.experiments().map(\.name)
            let holds = names.isEmpty ? "it holds no experiments" : "it holds: \(names.joined(separator: ", "))"
            throw StoreError(.experimentNotFound, "no experiment named '\(name)' in \(location); \(holds)")
        }
        let config = try? JSONDecoder().decode(ExperimentConfig.self, from: Data(record.configuration.utf8))
        return try await body(ExperimentReader(store: store, location: location, record: record, config: config))
    }

    /// Throws `StoreError.memberOutOfRange` unless `member` is one of the experiment's slots.
    func check(member: Int) throws {
        guard (0..<record.population).contains(member) else {
            throw StoreError(
                .memberOutOfRange,
                "experiment '\(record.name)' has members 0...\(record.population - 1); there is no member \(member)")
        }
    }
}
