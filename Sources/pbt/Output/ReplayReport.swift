import PBT
import PBTStore

/// What `pbt replay` reports: the replayed member's final score and weights beside the
/// original member's.
struct ReplayReport: Codable {
    /// The new experiment.
    var experiment: String
    /// The replayed experiment and member.
    var original: String
    var member: Int
    /// The store, with any password hidden.
    var store: String
    /// The step both reached.
    var step: Int
    /// How many times the schedule changed the hyperparameters after step 0.
    var changes: Int
    /// The member whose trainable seed the replay used.
    var origin: Int
    var seed: UInt64
    var score: Double?
    var originalScore: Double?
    /// Whether the scores are equal bit for bit.
    var identicalScore: Bool
    /// Whether the final checkpoints hold the same bytes (nil when either is missing).
    var identicalWeights: Bool?

    enum CodingKeys: String, CodingKey {
        case experiment, original, member, store, step, changes, origin, seed, score
        case originalScore = "original_score"
        case identicalScore = "identical_score"
        case identicalWeights = "identical_weights"
    }

    /// The report as a few lines.
    var text: String {
        let verdict = identicalScore ? "identical" : "differs"
        var lines = [
            "replayed member \(member) of \(original) as experiment \(experiment) in \(store)",
            "  schedule: \(changes) changes after step 0, trainable seed of member \(origin) (experiment seed \(seed))",
            "  final score at step \(step): \(Format.score(score)) "
                + "(original \(Format.score(originalScore))): \(verdict)",
        ]
        if let identicalWeights {
            lines.append(
                "  final weights: \(identicalWeights ? "identical to" : "differ from") member \(member)'s checkpoint")
        }
        return lines.joined(separator: "\n")
    }
}

extension ReplayReport {
    /// Whether two scores are the same double, bit for bit.
    static func same(_ a: Double?, _ b: Double?) -> Bool {
        switch (a, b) {
        case (nil, nil): true
        case (let a?, let b?): a.bitPattern == b.bitPattern
        default: false
        }
    }
}
