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
    /// What stopped the experiment before its budget (a `stop:` rule), nil while none did.
    public var stop: StopRecord?
    /// The experiment's run time in seconds as its workers last recorded it (for `stop:
    /// {seconds: S}`: a resume goes on counting from here); nil when nothing measures it.
    public var runSeconds: Double?

    /// Creates a record.
    public init(
        name: String, population: Int, configuration: String, createdAt: Date = Date(), stop: StopRecord? = nil,
        runSeconds: Double? = nil
    ) {
        self.name = name
        self.population = population
        self.configuration = configuration
        self.createdAt = createdAt
        self.stop = stop
        self.runSeconds = runSeconds
    }

    /// The record after `recordRun`'s change: the run time raised to `seconds` (never lowered:
    /// several processes may report it), and `stop` recorded unless a stop already is (the first
    /// stop wins).
    /// - Throws: `StoreError.invalid` for a negative or non-finite time, or an unknown rule.
    public func recording(seconds: Double?, stop: StopRecord?) throws -> ExperimentRecord {
        var result = self
        if let seconds {
            guard seconds.isFinite, seconds >= 0 else {
                throw StoreError(
                    .invalid, "experiment '\(name)': a run time must be a finite number of seconds ≥ 0, got \(seconds)")
            }
            result.runSeconds = max(runSeconds ?? 0, seconds)
        }
        if let stop, result.stop == nil {
            guard StopRecord.rules.contains(stop.rule) else {
                throw StoreError(
                    .invalid,
                    """
                    experiment '\(name)': unknown stop rule '\(stop.rule)'; allowed: \
                    \(StopRecord.rules.joined(separator: ", "))
                    """
                )
            }
            result.stop = stop
        }
        return result
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
            throw StoreError(
                .invalid, "experiment '\(name)': \(members.count) members given for a population of \(population)")
        }
        return try members.enumerated().map {
            try StoreJSON.encode($0.element, "experiment '\(name)': member \($0.offset)'s hyperparameters")
        }
    }
}
