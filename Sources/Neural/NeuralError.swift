/// An error raised by the `Neural` target: a bad network description or a bad serialized buffer.
///
/// The message names the bad value and what was expected, so it can be shown to a user as is.
public struct NeuralError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The broad kind of failure, for callers that want to branch on it.
    public enum Kind: Sendable, Hashable {
        /// A layer size, activation list or hyperparameter is invalid.
        case invalidConfiguration
        /// A serialized buffer is short, corrupt, of another type or of an unknown version.
        case invalidData
        /// Two objects that must agree in shape do not (e.g. an optimizer and a model).
        case shapeMismatch
    }

    /// The kind of failure.
    public let kind: Kind
    /// A human-readable explanation naming the bad value and the expected one.
    public let message: String

    init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    /// The message.
    public var description: String { message }
}
