/// Why a report or a dashboard page could not be made: a message that names the experiment,
/// the store and what to do instead.
public struct ReportError: Error, CustomStringConvertible, Sendable {
    /// What went wrong.
    public enum Code: Sendable {
        /// No experiment with that name in the store (or stores) searched.
        case experimentNotFound
        /// A file could not be written.
        case output
    }

    /// The kind of failure.
    public let code: Code
    /// The message shown to the user.
    public let message: String

    /// Creates an error.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// The message.
    public var description: String { message }
}
