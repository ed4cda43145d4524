/// Why reported metrics were refused: the error names the metric, what is wrong and what is
/// allowed.
public struct MetricsError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What kind of problem.
    public enum Code: String, Hashable, Sendable {
        /// A name outside `Metrics.rules` (empty, too long, a character not allowed).
        case badName
        /// A built-in field's name (`Metrics.reservedNames`) or a hyperparameter's.
        case reservedName
        /// NaN or ±infinity.
        case notFinite
        /// A value that is not a number (text, a boolean, a list, an object, null).
        case notANumber
        /// More than `Metrics.maximumCount` metrics.
        case tooMany
    }

    /// What kind of problem.
    public let code: Code
    /// The message, naming the metric and what is allowed.
    public let message: String

    /// Creates an error.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// The message.
    public var description: String { message }
}
