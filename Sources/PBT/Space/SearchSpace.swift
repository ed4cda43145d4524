/// The hyperparameters an experiment tunes, each with its domain, in name order.
public struct SearchSpace: Hashable, Sendable {
    /// The domains by name.
    public let domains: [String: Domain]
    /// The names, sorted; exploration visits them in this order so draws are reproducible.
    public let names: [String]

    /// Creates a validated search space.
    /// - Throws: `PBTError` when a domain is unusable or the space is empty.
    public init(_ domains: [String: Domain]) throws {
        guard !domains.isEmpty else {
            throw PBTError.invalidDomain("hyperparameters", "at least one hyperparameter is needed")
        }
        for (name, domain) in domains { try domain.validate(name: name) }
        self.domains = domains
        self.names = domains.keys.sorted()
    }

    /// Draws every hyperparameter from its prior.
    public func sample(using random: inout PBTRandom) -> Hyperparameters {
        var values: [String: HyperparameterValue] = [:]
        for name in names { values[name] = domains[name]!.sample(using: &random) }
        return Hyperparameters(values)
    }

    /// Checks that `hyperparameters` names exactly this space's hyperparameters, each in its domain.
    /// - Parameters:
    ///   - hyperparameters: the values to check.
    ///   - context: where the values came from, for the error (e.g. `initial[1]`).
    public func validate(_ hyperparameters: Hyperparameters, context: String) throws {
        for name in hyperparameters.names where domains[name] == nil {
            throw PBTError.invalidValue(
                "\(context).\(name)", "unknown hyperparameter; allowed: \(names.joined(separator: ", "))")
        }
        for name in names {
            guard let value = hyperparameters[name] else {
                throw PBTError.invalidValue("\(context).\(name)", "missing")
            }
            guard domains[name]!.contains(value) else {
                throw PBTError.invalidValue("\(context).\(name)", "\(value) is outside \(domains[name]!)")
            }
        }
    }
}
