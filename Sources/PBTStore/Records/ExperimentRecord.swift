import Foundation

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
