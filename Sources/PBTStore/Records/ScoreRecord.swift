import Foundation
import PBT

/// A score recorded at a ready point.
public struct ScoreRecord: Hashable, Sendable, Codable {
    /// The member.
    public var member: Int
    /// The member's step when evaluated.
    public var step: Int
    /// The score as reported by the trainable.
    public var score: Double
    /// The hyperparameters in force while training up to `step`.
    public var hyperparameters: Hyperparameters
    /// The other numbers the trainable reported with the score (none for stores written
    /// before swift-pbt kept them).
    public var metrics: Metrics
    /// When the store recorded the score (its clock, as `Date.recorded` keeps it); nil for
    /// scores of stores written before swift-pbt kept the time.
    public var recordedAt: Date?

    /// Creates a record.
    public init(
        member: Int, step: Int, score: Double, hyperparameters: Hyperparameters, metrics: Metrics = .none,
        recordedAt: Date? = nil
    ) {
        self.member = member
        self.step = step
        self.score = score
        self.hyperparameters = hyperparameters
        self.metrics = metrics
        self.recordedAt = recordedAt
    }
}

extension ScoreRecord {
    enum CodingKeys: String, CodingKey {
        case member, step, score, hyperparameters, metrics, time
    }

    /// Decodes the API's form: `metrics` (absent: none) and `time` in seconds since 1970
    /// (absent or null: unknown).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            member: try container.decode(Int.self, forKey: .member),
            step: try container.decode(Int.self, forKey: .step),
            score: try container.decode(Double.self, forKey: .score),
            hyperparameters: try container.decode(Hyperparameters.self, forKey: .hyperparameters),
            metrics: try container.decodeIfPresent(Metrics.self, forKey: .metrics) ?? .none,
            recordedAt: try container.decodeIfPresent(Double.self, forKey: .time).map(Date.init(timeIntervalSince1970:))
        )
    }

    /// Encodes as the API writes a score: `time` in seconds since 1970.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(member, forKey: .member)
        try container.encode(step, forKey: .step)
        try container.encode(score, forKey: .score)
        try container.encode(hyperparameters, forKey: .hyperparameters)
        try container.encode(metrics, forKey: .metrics)
        try container.encodeIfPresent(recordedAt?.timeIntervalSince1970, forKey: .time)
    }
}
