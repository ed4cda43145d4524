#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Maps the tunable hyperparameters of a space to `[0, 1]^d` and back.
///
/// `uniform` and `int` map linearly over their bounds, `loguniform` linearly in `log` (Ray Tune
/// maps it linearly, which crowds every suggestion into the top decade), ordered choices by
/// index / (count − 1). Constants and one-option choices are not tunable: they are left out of
/// the GP and always decoded to their single value.
struct PB2Encoding: Sendable {
    /// How one tunable hyperparameter maps to `[0, 1]`.
    enum Scale: Sendable {
        case linear(lower: Double, upper: Double)
        case logarithmic(lower: Double, upper: Double)
        case integer(lower: Int, upper: Int)
        case ordered([HyperparameterValue])
    }

    /// The space encoded.
    let space: SearchSpace
    /// The tunable hyperparameters, in `space.names` order.
    let names: [String]
    /// Their scales, parallel to `names`.
    let scales: [Scale]

    /// Creates the encoding.
    /// - Throws: `PBTError.invalidSetting` naming `explore.strategy` when nothing is tunable, or
    ///   `PBTError.invalidDomain` naming an unordered choice (PB2-Mix is not implemented yet).
    init(_ space: SearchSpace) throws {
        var names: [String] = [], scales: [Scale] = []
        for name in space.names {
            switch space.domains[name]! {
            case .uniform(let lower, let upper):
                scales.append(.linear(lower: lower, upper: upper))
            case .logUniform(let lower, let upper):
                scales.append(.logarithmic(lower: lower, upper: upper))
            case .integer(let lower, let upper):
                scales.append(.integer(lower: lower, upper: upper))
            case .choice(let options, let ordered):
                guard options.count > 1 else { continue }
                guard ordered else {
                    throw PBTError.invalidDomain(
                        name,
                        "pb2 needs numeric or ordered domains; unordered choice (PB2-Mix) is not supported yet: "
                            + "use choice(..., ordered: true) or the perturb/resample explore strategies")
                }
                scales.append(.ordered(options))
            case .constant:
                continue
            }
            names.append(name)
        }
        guard !names.isEmpty else {
            throw PBTError.invalidSetting(
                "explore.strategy",
                "pb2 needs at least one tunable hyperparameter; every one of \(space.names) is constant")
        }
        self.space = space
        self.names = names
        self.scales = scales
    }

    /// The number of tunable hyperparameters, `d`.
    var dimension: Int { names.count }

    /// `hyperparameters` in `[0, 1]^d`.
    /// - Parameter context: where the values came from, for the error (e.g. `history[3]`).
    /// - Throws: `PBTError.invalidValue` naming `context.name` for a missing or out-of-domain value.
    func encode(_ hyperparameters: Hyperparameters, context: String) throws -> [Double] {
        try zip(names, scales).map { name, scale in
            guard let value = hyperparameters[name], space.domains[name]!.contains(value) else {
                let found = hyperparameters[name].map { "\($0) is outside \(space.domains[name]!)" } ?? "missing"
                throw PBTError.invalidValue("\(context).\(name)", found)
            }
            switch scale {
            case .linear(let lower, let upper):
                return (value.number! - lower) / (upper - lower)
            case .logarithmic(let lower, let upper):
                return (log(value.number!) - log(lower)) / (log(upper) - log(lower))
            case .integer(let lower, let upper):
                return (value.number! - Double(lower)) / Double(upper - lower)
            case .ordered(let options):
                return Double(options.firstIndex(of: value)!) / Double(options.count - 1)
            }
        }
    }

    /// The hyperparameters at `x ∈ [0, 1]^d` (clamped first): `loguniform` exponentiated,
    /// integers rounded to the nearest (halves away from zero) and clamped, ordered choices to
    /// the nearest index; untunable hyperparameters at their single value.
    func decode(_ x: [Double]) -> Hyperparameters {
        var result = Hyperparameters()
        for name in space.names {
            switch space.domains[name]! {
            case .constant(let value): result[name] = value
            case .choice(let options, _) where options.count == 1: result[name] = options[0]
            default: break
            }
        }
        for (index, (name, scale)) in zip(names, scales).enumerated() {
            let unit = min(1, max(0, x[index]))
            switch scale {
            case .linear(let lower, let upper):
                result[name] = .number(min(upper, max(lower, lower + unit * (upper - lower))))
            case .logarithmic(let lower, let upper):
                result[name] = .number(min(upper, max(lower, exp(log(lower) + unit * (log(upper) - log(lower))))))
            case .integer(let lower, let upper):
                let value = (Double(lower) + unit * Double(upper - lower)).rounded()
                result[name] = .number(min(Double(upper), max(Double(lower), value)))
            case .ordered(let options):
                result[name] = options[Int((unit * Double(options.count - 1)).rounded())]
            }
        }
        return result
    }
}
