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

    /// Creates a range of real values.
    public init(_ name: String, _ range: ClosedRange<Double>, default defaultValue: Double) {
        self.name = name
        self.range = range
        self.integer = false
        self.defaultValue = defaultValue
    }

    /// Creates a range of integers.
    public init(_ name: String, integers range: ClosedRange<Int>, default defaultValue: Int) {
        self.name = name
        self.range = Double(range.lowerBound)...Double(range.upperBound)
        self.integer = true
        self.defaultValue = Double(defaultValue)
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

    /// Checks every domain in `domains` that one of `ranges` names (see `check(_:workload:)`).
    /// - Throws: `PBTError` naming the first hyperparameter whose domain reaches outside.
    public static func check(_ ranges: [HyperparameterRange], _ domains: [String: Domain], workload: String) throws {
        for range in ranges {
            if let domain = domains[range.name] { try range.check(domain, workload: workload) }
        }
    }

    private func refusal(_ workload: String, _ why: String) -> PBTError {
        PBTError.invalidValue("hyperparameters.\(name)", "workload '\(workload)' accepts \(allowed); \(why)")
    }
}
