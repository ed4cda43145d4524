/// Why a comparison cannot run as asked, with a message naming the value at fault and what
/// is allowed. Raised before anything is written to the store.
public struct ComparisonError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The kinds of comparison error.
    public enum Code: Hashable, Sendable {
        /// A setting of the comparison (seeds, arms, the file's exploit) is not allowed.
        case invalidSetting
        /// The store already holds runs of a comparison of the same name with another
        /// configuration.
        case storeHoldsAnotherConfiguration
        /// An arm was configured before the arms it needs had run.
        case missingPrerequisite
    }

    /// What kind of error this is.
    public let code: Code
    /// What went wrong and the fix.
    public let message: String

    /// Creates an error.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// The message.
    public var description: String { message }
}
