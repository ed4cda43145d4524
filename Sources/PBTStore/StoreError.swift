/// An error from a `PopulationStore`, with a message that names the value at fault.
public struct StoreError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The kinds of store error, for callers that react differently to each.
    public enum Code: Hashable, Sendable {
        /// The named experiment is not in the store.
        case experimentNotFound
        /// An experiment of that name exists with another configuration.
        case configurationMismatch
        /// Another worker holds the member now.
        case leaseLost
        /// A member slot outside 0..<population.
        case memberOutOfRange
        /// The checkpoint is not in the store.
        case checkpointMissing
        /// The checkpoint's bytes do not match their checksum.
        case checkpointCorrupt
        /// The store could not be opened or written (path, permissions, URL).
        case unavailable
        /// The store's server could not be reached, or the connection dropped during the call:
        /// the call may or may not have taken effect. Retrying is safe (a commit that did take
        /// effect released its lease, so its retry fails with `leaseLost`).
        case unreachable
        /// The stored data contradicts itself or the request.
        case invalid
    }

    /// What kind of error this is.
    public let code: Code
    /// What went wrong and, where there is one, the fix.
    public let message: String

    /// Creates an error.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// The message.
    public var description: String { message }
}
