/// A set of named hyperparameter values, such as `["lr": 0.01, "activation": "relu"]`.
///
/// Iteration and descriptions are in name order, so logs and exports are stable.
public struct Hyperparameters: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The values by name.
    public var values: [String: HyperparameterValue]

    /// Creates a set from values by name.
    public init(_ values: [String: HyperparameterValue] = [:]) {
        self.values = values
    }

    /// The value of `name`, or nil when it is not set.
    public subscript(name: String) -> HyperparameterValue? {
        get { values[name] }
        set { values[name] = newValue }
    }

    /// The names, sorted.
    public var names: [String] { values.keys.sorted() }

    /// The number named `name`, or nil when it is missing or text.
    public func number(_ name: String) -> Double? {
        values[name]?.number
    }

    /// The text named `name`, or nil when it is missing or a number.
    public func text(_ name: String) -> String? {
        values[name]?.text
    }

    /// `name = value` pairs in name order, e.g. `h0=1, h1=0.5`.
    public var description: String {
        names.map { "\($0)=\(values[$0]!)" }.joined(separator: ", ")
    }

    /// Encodes as a JSON object.
    public func encode(to encoder: any Encoder) throws {
        try values.encode(to: encoder)
    }

    /// Decodes a JSON object of numbers and strings.
    public init(from decoder: any Decoder) throws {
        values = try [String: HyperparameterValue](from: decoder)
    }
}
