extension Domain: CustomStringConvertible {
    /// The domain as written in an experiment file, e.g. `loguniform(0.0001, 0.1)`.
    public var description: String {
        switch self {
        case .uniform(let lower, let upper): "uniform(\(lower), \(upper))"
        case .logUniform(let lower, let upper): "loguniform(\(lower), \(upper))"
        case .integer(let lower, let upper): "int(\(lower), \(upper))"
        case .choice(let options, let ordered):
            "choice([\(options.map(\.description).joined(separator: ", "))]\(ordered ? ", ordered" : ""))"
        case .constant(let value): "constant(\(value))"
        }
    }
}
