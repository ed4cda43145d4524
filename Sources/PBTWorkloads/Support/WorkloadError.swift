/// A built-in workload's error: bad options, hyperparameters or checkpoint bytes.
public struct WorkloadError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What is wrong and what is allowed.
    public let message: String

    /// Creates an error.
    public init(_ message: String) {
        self.message = message
    }

    /// The message.
    public var description: String { message }
}
