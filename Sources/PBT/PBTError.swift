/// An error in the algorithm's input: a domain, a hyperparameter value or a strategy setting.
///
/// The message names the offending field and what would be allowed.
public struct PBTError: Error, Hashable, Sendable, CustomStringConvertible {
    private enum Code: Hashable, Sendable {
        case invalidDomain
        case invalidValue
        case invalidSetting
    }

    private let code: Code
    /// The field at fault, e.g. `hyperparameters.lr` or `exploit.fraction`.
    public let field: String
    /// What is wrong and what is allowed.
    public let message: String

    /// A hyperparameter domain that cannot be used.
    public static func invalidDomain(_ field: String, _ message: String) -> PBTError {
        PBTError(code: .invalidDomain, field: field, message: message)
    }

    /// A hyperparameter value that is not allowed.
    public static func invalidValue(_ field: String, _ message: String) -> PBTError {
        PBTError(code: .invalidValue, field: field, message: message)
    }

    /// A strategy or schedule setting out of its range.
    public static func invalidSetting(_ field: String, _ message: String) -> PBTError {
        PBTError(code: .invalidSetting, field: field, message: message)
    }

    /// `field: message`.
    public var description: String { "\(field): \(message)" }
}
