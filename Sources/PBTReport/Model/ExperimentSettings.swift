import Foundation
import PBT

/// What a report needs from an experiment's stored configuration (the canonical JSON of
/// `PBTRuntime.ExperimentConfig`): workload, budget, interval, mode, strategies and the
/// hyperparameters' domains.
///
/// Every field is optional in the stored text, so an experiment created by another program
/// (or a benchmark) still gets a report: what is missing is shown as unknown and charts fall
/// back to linear axes.
public struct ExperimentSettings: Sendable, Hashable {
    /// The workload's name, e.g. `quadratic`.
    public var workload: String?
    /// The budget in steps per member.
    public var steps: Int?
    /// Steps between ready points (nil for time-based readiness).
    public var interval: Int?
    /// Seconds of training between ready points, for time-based readiness.
    public var intervalSeconds: Double?
    /// The `stop:` rules as written, e.g. `score: 0.95, plateau(window: 20, min_delta: 0.001)`.
    public var stopRules: String?
    /// Whether all members decide together.
    public var synchronous: Bool?
    /// Whether higher or lower scores are better.
    public var mode: ScoreMode
    /// The experiment seed.
    public var seed: UInt64?
    /// The exploit strategy, e.g. `truncation(fraction: 0.2)`.
    public var exploit: String?
    /// The explore strategy, e.g. `perturb(factors: [0.8, 1.2])`.
    public var explore: String?
    /// The tuned hyperparameters' domains by name.
    public var domains: [String: Domain]

    /// Reads the settings from a stored configuration; unreadable text gives empty settings.
    public init(configuration: String) {
        let data = Data(configuration.utf8)
        let stored = (try? JSONDecoder().decode(Stored.self, from: data)) ?? Stored()
        let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
        workload = stored.workload?.name
        steps = stored.schedule?.steps
        intervalSeconds = stored.schedule?.seconds
        interval = intervalSeconds == nil ? stored.schedule?.interval : nil
        stopRules = (object["stop"] as? [String: Any]).map(Self.rules)
        synchronous = stored.schedule?.synchronous
        mode = stored.mode ?? .max
        seed = stored.seed
        domains = stored.hyperparameters ?? [:]
        exploit = object["exploit"].map(Self.strategy)
        explore = object["explore"].map(Self.strategy)
    }

    /// Whether `name`'s domain is log-uniform (its charts use a log axis).
    public func isLogarithmic(_ name: String) -> Bool {
        if case .logUniform = domains[name] { return true }
        return false
    }

    /// Stop rules as stored (`{"score": 0.95, "plateau": {"window": 20, "minDelta": 0}}`).
    private static func rules(_ object: [String: Any]) -> String {
        object.keys.sorted().map { key in
            if let fields = object[key] as? [String: Any] {
                return "\(key)(" + fields.keys.sorted().map { "\($0): \(literal(fields[$0]!))" }.joined(separator: ", ")
                    + ")"
            }
            return "\(key): \(literal(object[key]!))"
        }.joined(separator: ", ")
    }

    /// A strategy as stored (`{"truncation": {"fraction": 0.2}}`) in call syntax.
    private static func strategy(_ value: Any) -> String {
        guard let object = value as? [String: Any], let (name, arguments) = object.first else { return "\(value)" }
        guard let fields = arguments as? [String: Any], !fields.isEmpty else { return name }
        let list = fields.keys.sorted().map { "\($0): \(Self.literal(fields[$0]!))" }
        return "\(name)(\(list.joined(separator: ", ")))"
    }

    private static func literal(_ value: Any) -> String {
        if let array = value as? [Any] { return "[" + array.map(literal).joined(separator: ", ") + "]" }
        if let number = value as? NSNumber { return HyperparameterValue.number(number.doubleValue).description }
        return "\(value)"
    }

    /// The stored fields the report reads; everything optional.
    private struct Stored: Decodable {
        struct Workload: Decodable { var name: String }
        struct Schedule: Decodable {
            var steps: Int?
            var interval: Int?
            var seconds: Double?
            var synchronous: Bool?
        }
        var workload: Workload?
        var schedule: Schedule?
        var mode: ScoreMode?
        var seed: UInt64?
        var hyperparameters: [String: Domain]?
    }
}
