import PBT

/// The time-related fields of an experiment file: `interval` (steps or seconds) and `stop`.
extension ExperimentConfig {
    /// The rules `stop:` accepts.
    static let stopRules = ["score", "seconds", "plateau"]

    /// The schedule from `interval`: `N` or `{steps: N}` (ready every N steps), or
    /// `{seconds: S}` (ready after S seconds of training; see `TrainingSchedule`).
    static func schedule(
        interval node: ConfigNode, steps: Int, burnIn: Int, synchronous: Bool
    ) throws -> TrainingSchedule {
        guard node.isMapping else {
            return try TrainingSchedule(
                steps: steps, interval: node.integer(in: 1...steps), burnIn: burnIn, synchronous: synchronous)
        }
        let fields = try node.mapping(allowed: ["steps", "seconds"])
        switch (fields["steps"], fields["seconds"]) {
        case (let count?, nil):
            return try TrainingSchedule(
                steps: steps, interval: count.integer(in: 1...steps), burnIn: burnIn, synchronous: synchronous)
        case (nil, let seconds?):
            return try TrainingSchedule(
                steps: steps, seconds: positiveSeconds(seconds), burnIn: burnIn, synchronous: synchronous)
        default:
            throw node.error("needs exactly one of steps, seconds, e.g. {steps: 100} or {seconds: 30}")
        }
    }

    /// The rules of `stop:`: any of `score: X`, `seconds: S`, `plateau: {window: W, min_delta: D}`.
    static func stop(_ node: ConfigNode) throws -> StopRules {
        guard node.isMapping else {
            throw node.error(
                "expected a mapping of rules, e.g. {score: 0.95}; allowed: \(stopRules.joined(separator: ", "))")
        }
        let fields = try node.mapping(allowed: stopRules)
        guard !fields.isEmpty else {
            throw node.error("needs at least one rule: \(stopRules.joined(separator: ", ")), e.g. {seconds: 3600}")
        }
        var plateau: StopRules.Plateau?
        if let rule = fields["plateau"] {
            guard rule.isMapping else {
                throw rule.error("expected {window: W, min_delta: D} (min_delta optional, default 0)")
            }
            let settings = try rule.mapping(allowed: ["window", "min_delta"])
            guard let window = settings["window"] else {
                throw rule.error("needs 'window': the number of ready points (an integer ≥ 1)")
            }
            let count = try window.integer(in: 1...1_000_000_000)
            let delta = try settings["min_delta"].map { value in
                let number = try value.number()
                guard number >= 0 else {
                    throw value.error("must be a number ≥ 0 (0: any improvement counts), got \(number)")
                }
                return number
            }
            plateau = try StopRules.Plateau(window: count, minDelta: delta ?? 0)
        }
        return try StopRules(
            score: fields["score"]?.number(), seconds: fields["seconds"].map(positiveSeconds), plateau: plateau)
    }

    /// A finite number of seconds > 0.
    private static func positiveSeconds(_ node: ConfigNode) throws -> Double {
        let seconds = try node.number()
        guard seconds > 0 else { throw node.error("must be a number of seconds > 0, got \(seconds)") }
        return seconds
    }
}
