/// A problem in an experiment file, naming the file, the field, the line and what is allowed.
public struct ConfigError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The file, or `<input>`.
    public var file: String
    /// The field's path, e.g. `exploit.fraction` or `hyperparameters.lr`.
    public var field: String
    /// The 1-based line of the value, when known.
    public var line: Int?
    /// What is wrong and what is allowed.
    public var message: String

    /// Creates an error.
    public init(file: String, field: String, line: Int? = nil, message: String) {
        self.file = file
        self.field = field
        self.line = line
        self.message = message
    }

    /// `file:line: field: message`.
    public var description: String {
        "\(file)\(line.map { ":\($0)" } ?? ""): \(field.isEmpty ? "" : "\(field): ")\(message)"
    }
}
