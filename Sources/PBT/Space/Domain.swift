/// Where a hyperparameter may take its values, and how it is sampled and perturbed.
public enum Domain: Hashable, Sendable, Codable {
    /// Real numbers in `lower...upper`, sampled uniformly.
    case uniform(lower: Double, upper: Double)
    /// Positive reals in `lower...upper`, sampled uniformly in log space.
    case logUniform(lower: Double, upper: Double)
    /// Integers in `lower...upper`, sampled uniformly.
    case integer(lower: Int, upper: Int)
    /// One of `options`; `ordered` options are perturbed to a neighbour, others resampled.
    case choice([HyperparameterValue], ordered: Bool)
    /// A fixed value that exploration never changes.
    case constant(HyperparameterValue)

    /// Checks the domain is usable.
    /// - Parameter name: the hyperparameter's name, used in the error.
    /// - Throws: `PBTError` naming the hyperparameter and what is allowed.
    public func validate(name: String) throws {
        switch self {
        case .uniform(let lower, let upper):
            guard lower.isFinite, upper.isFinite, lower < upper else {
                throw PBTError.invalidDomain(
                    name, "uniform needs finite bounds lower < upper, got [\(lower), \(upper)]")
            }
        case .logUniform(let lower, let upper):
            guard lower.isFinite, upper.isFinite, lower > 0, lower < upper else {
                throw PBTError.invalidDomain(
                    name, "loguniform needs finite bounds 0 < lower < upper, got [\(lower), \(upper)]")
            }
        case .integer(let lower, let upper):
            guard lower < upper else {
                throw PBTError.invalidDomain(name, "int needs lower < upper, got [\(lower), \(upper)]")
            }
        case .choice(let options, _):
            guard !options.isEmpty else {
                throw PBTError.invalidDomain(name, "choice needs at least one option, got []")
            }
            guard Set(options).count == options.count else {
                throw PBTError.invalidDomain(name, "choice options must be distinct, got \(options)")
            }
        case .constant:
            break
        }
    }

    /// Whether `value` lies in the domain.
    public func contains(_ value: HyperparameterValue) -> Bool {
        switch self {
        case .uniform(let lower, let upper), .logUniform(let lower, let upper):
            guard let number = value.number else { return false }
            return lower <= number && number <= upper
        case .integer(let lower, let upper):
            guard let number = value.number, number == number.rounded() else { return false }
            return Double(lower) <= number && number <= Double(upper)
        case .choice(let options, _):
            return options.contains(value)
        case .constant(let fixed):
            return value == fixed
        }
    }

    /// Draws a value from the domain's prior.
    public func sample(using random: inout PBTRandom) -> HyperparameterValue {
        switch self {
        case .uniform(let lower, let upper):
            return .number(lower + (upper - lower) * random.unit())
        case .logUniform(let lower, let upper):
            let logLower = log(lower), logUpper = log(upper)
            return .number(min(upper, max(lower, exp(logLower + (logUpper - logLower) * random.unit()))))
        case .integer(let lower, let upper):
            return .number(Double(Int.random(in: lower...upper, using: &random)))
        case .choice(let options, _):
            return options[Int.random(in: 0..<options.count, using: &random)]
        case .constant(let fixed):
            return fixed
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
