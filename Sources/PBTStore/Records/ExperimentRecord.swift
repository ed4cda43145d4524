import Foundation
import PBT

/// An experiment as a store keeps it.
public struct ExperimentRecord: Hashable, Sendable, Codable {
    /// The experiment's unique name within the store.
    public var name: String
    /// The number of members (slots 0..<population).
    public var population: Int
    /// The experiment's configuration as canonical JSON; a resume must present the same text.
    public var configuration: String
    /// When the experiment was created.
    public var createdAt: Date

    /// Creates a record.
    public init(name: String, population: Int, configuration: String, createdAt: Date = Date()) {
        self.name = name
        self.population = population
        self.configuration = configuration
        self.createdAt = createdAt
    }
}

extension ExperimentRecord {
    /// Throws `configurationMismatch`, showing the difference, unless `other` may resume this.
    public func checkResume(with other: ExperimentRecord) throws {
        guard configuration == other.configuration, population == other.population else {
            throw StoreError(
                .configurationMismatch,
                "experiment '\(name)' already exists with another configuration; use a new name or the same file.\n"
                    + ConfigurationDiff(stored: configuration, requested: other.configuration).description)
        }
    }

    /// The JSON texts of the initial hyperparameters of this experiment's members.
    /// - Throws: `StoreError.invalid` unless there is one per member and every number is finite.
    public func memberTexts(_ members: [Hyperparameters]) throws -> [String] {
        guard members.count == population else {
            throw StoreError(.invalid, "experiment '\(name)': \(members.count) members given for a population of \(population)")
        }
        return try members.enumerated().map {
            try StoreJSON.encode($0.element, "experiment '\(name)': member \($0.offset)'s hyperparameters")
        }
    }
}
