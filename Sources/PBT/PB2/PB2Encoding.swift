#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Maps the tunable hyperparameters of a space to `[0, 1]^d` and back, and its unordered
/// choices to option indices.
///
/// `uniform` and `int` map linearly over their bounds, `loguniform` linearly in `log` (Ray Tune
/// maps it linearly, which crowds every suggestion into the top decade), ordered choices by
/// index / (count − 1). Unordered choices of two or more options are PB2-Mix's categories: the
/// bandit picks them and the GP's overlap kernel compares them (see `PB2Bandit`,
/// `PB2KernelParameters`). Constants and one-option choices are not tunable: they are left out
/// of the GP and always decoded to their single value.
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
    /// The numeric (and ordered) tunable hyperparameters, in `space.names` order.
    let names: [String]
    /// Their scales, parallel to `names`.
    let scales: [Scale]
    /// The unordered choices of two or more options, in `space.names` order.
    let categoricalNames: [String]
    /// Their options, parallel to `categoricalNames`.
    let categoricalOptions: [[HyperparameterValue]]

    /// Creates the encoding.
    /// - Throws: `PBTError.invalidSetting` naming `explore.strategy` when nothing is tunable.
    init(_ space: SearchSpace) throws {
        var names: [String] = [], scales: [Scale] = []
        var categoricalNames: [String] = [], categoricalOptions: [[HyperparameterValue]] = []
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
                    categoricalNames.append(name)
                    categoricalOptions.append(options)
                    continue
                }
                scales.append(.ordered(options))
            case .constant:
                continue
            }
            names.append(name)
        }
        guard !names.isEmpty || !categoricalNames.isEmpty else {
            throw PBTError.invalidSetting(
                "explore.strategy",
                "pb2 needs at least one tunable hyperparameter; every one of \(space.names) is a constant "
                    + "or a choice of one option")
        }
        self.space = space
        self.names = names
        self.scales = scales
        self.categoricalNames = categoricalNames
        self.categoricalOptions = categoricalOptions
    }

    /// Every tunable hyperparameter, numeric or categorical, in `space.names` order.
    var tunableNames: [String] {
        let tunable = Set(names + categoricalNames)
        return space.names.filter { tunable.contains($0) }
    }

    /// The number of unordered choices, `c` (0 for plain PB2).
    var categoryCount: Int { categoricalNames.count }

    /// The option index of each unordered choice in `hyperparameters`.
    /// - Parameter context: where the values came from, for the error (e.g. `history[3]`).
    /// - Throws: `PBTError.invalidValue` naming `context.name` for a missing or out-of-domain value.
    func categories(_ hyperparameters: Hyperparameters, context: String) throws -> [Int] {
        try zip(categoricalNames, categoricalOptions).map { name, options in
            guard let value = hyperparameters[name], let index = options.firstIndex(of: value) else {
                let found = hyperparameters[name].map { "\($0) is outside \(space.domains[name]!)" } ?? "missing"
                throw PBTError.invalidValue("\(context).\(name)", found)
            }
            return index
        }
    }

    /// The number of numeric (and ordered) tunable hyperparameters, `d`: 0 when every tunable
    /// one is an unordered choice.
    var dimension: Int { names.count }

    /// The numeric part of `hyperparameters` in `[0, 1]^d` (see `categories` for the rest).
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
    /// the nearest index; the unordered choices at the option indices `categories` (one per
    /// choice); untunable hyperparameters at their single value.
    func decode(_ x: [Double], categories: [Int] = []) -> Hyperparameters {
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
        for (index, category) in categories.enumerated() {
            result[categoricalNames[index]] = categoricalOptions[index][category]
        }
        return result
    }
}
