import PBT

/// The values a workload accepts for one numeric hyperparameter: an experiment's domain for it
/// must lie inside, so that no member is ever handed a value its training refuses.
public struct HyperparameterRange: Hashable, Sendable {
    /// The hyperparameter.
    public let name: String
    /// The accepted values, inclusive.
    public let range: ClosedRange<Double>
    /// Whether only integers are accepted.
    public let integer: Bool
    /// The value used when an experiment does not tune it.
    public let defaultValue: Double
    /// Another hyperparameter that sets the same thing another way (a discount as `gamma` or
    /// as `horizon`): an experiment may give one of the two, not both.
    public let alternativeTo: String?

    /// Creates a range of real values.
    /// - Parameters:
    ///   - name: the hyperparameter.
    ///   - range: the accepted values, inclusive.
    ///   - defaultValue: the value used when an experiment does not tune it.
    ///   - alternativeTo: a hyperparameter this one replaces (see `alternativeTo`).
    public init(
        _ name: String, _ range: ClosedRange<Double>, default defaultValue: Double, alternativeTo: String? = nil
    ) {
        self.name = name
        self.range = range
        self.integer = false
        self.defaultValue = defaultValue
        self.alternativeTo = alternativeTo
    }

    /// Creates a range of integers.
    public init(_ name: String, integers range: ClosedRange<Int>, default defaultValue: Int) {
        self.name = name
        self.range = Double(range.lowerBound)...Double(range.upperBound)
        self.integer = true
        self.defaultValue = Double(defaultValue)
        self.alternativeTo = nil
    }

    /// "a number in 1e-12...1" or "an integer in 1...512".
    public var allowed: String {
        integer
            ? "an integer in \(Int(range.lowerBound))...\(Int(range.upperBound))"
            : "a number in \(range.lowerBound)...\(range.upperBound)"
    }

    /// Whether `value` is accepted.
    public func accepts(_ value: HyperparameterValue) -> Bool {
        guard let number = value.number, number.isFinite, range.contains(number) else { return false }
        return !integer || number == number.rounded()
    }

    /// Checks that every value `domain` can take is accepted.
    /// - Parameters:
    ///   - domain: the experiment's domain for this hyperparameter.
    ///   - workload: the workload's name, used in the error.
    /// - Throws: `PBTError` naming `hyperparameters.<name>`, the allowed values and the domain's
    ///   value outside them.
    public func check(_ domain: Domain, workload: String) throws {
        let extremes: [HyperparameterValue] =
            switch domain {
            case .uniform(let lower, let upper), .logUniform(let lower, let upper): [.number(lower), .number(upper)]
            case .integer(let lower, let upper): [.number(Double(lower)), .number(Double(upper))]
            case .choice(let options, _): options
            case .constant(let value): [value]
            }
        // A real domain over an integer hyperparameter would hand members fractions.
        switch domain {
        case .uniform where integer, .logUniform where integer:
            throw refusal(workload, "the domain is real: use int: [lower, upper]")
        default: break
        }
        if let outside = extremes.first(where: { !accepts($0) }) {
            throw refusal(workload, "the domain reaches \(outside)")
        }
    }

    /// Checks every domain in `domains` that one of `ranges` names (see `check(_:workload:)`),
    /// and that no two of them set the same thing (`alternativeTo`).
    /// - Throws: `PBTError` naming the first hyperparameter whose domain reaches outside, or
    ///   one given beside the hyperparameter it replaces.
    public static func check(_ ranges: [HyperparameterRange], _ domains: [String: Domain], workload: String) throws {
        for range in ranges {
            guard let domain = domains[range.name] else { continue }
            if let other = range.alternativeTo, domains[other] != nil {
                throw PBTError.invalidValue(
                    "hyperparameters.\(range.name)",
                    "workload '\(workload)' reads it instead of \(other), which sets the same thing: give one of them")
            }
            try range.check(domain, workload: workload)
        }
    }

    private func refusal(_ workload: String, _ why: String) -> PBTError {
        PBTError.invalidValue("hyperparameters.\(name)", "workload '\(workload)' accepts \(allowed); \(why)")
    }
}
