/// A failure of an external training program, naming the member, what went wrong, the last
/// line the program wrote and its log file.
///
/// The worker counts it as one failure of the member, which restarts from its last committed
/// checkpoint (see `Worker.maxFailures`); an `incompatible` program fails the member at once.
public struct ExternalProgramError: RecurringFailure, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong.
    public enum Code: String, Hashable, Sendable {
        /// The program could not be started.
        case launchFailed
        /// The program exited (or closed its standard output) while the engine waited.
        case exited
        /// No answer within the command's `timeout`.
        case timedOut
        /// A line that is not a JSON object.
        case malformed
        /// A message type the protocol does not define, or not the answer to the request.
        case unexpectedMessage
        /// A required field is missing or has the wrong type.
        case missingField
        /// A score that is NaN or infinite.
        case invalidScore
        /// Metrics that break `Metrics`' rules: not an object, a bad or reserved name, a value
        /// that is not a number, too many. The program would send them again: the member fails
        /// at once. (NaN and ±infinity are not JSON: such a line is `invalidScore`.)
        case invalidMetrics
        /// A `saved` answer for a checkpoint the program never wrote, or a checkpoint that
        /// cannot be packed or unpacked.
        case badCheckpoint
        /// The program speaks no protocol version the engine speaks, or lacks a capability.
        case incompatible
        /// The program answered `error`.
        case programError
    }

    /// What went wrong.
    public var code: Code
    /// Whether a restart would fail the same way: an `incompatible` program stays incompatible,
    /// and `invalidMetrics` are written into the program.
    public var recurs: Bool { code == .incompatible || code == .invalidMetrics }
    /// The member whose program failed.
    public var member: Int
    /// What went wrong, in words.
    public var message: String
    /// The last line received from the program, if any.
    public var lastLine: String?
    /// The program's log file (its standard error).
    public var logPath: String

    /// Creates an error.
    public init(_ code: Code, member: Int, message: String, lastLine: String?, logPath: String) {
        self.code = code
        self.member = member
        self.message = message
        self.lastLine = lastLine
        self.logPath = logPath
    }

    /// `member 3: <message>; last line received: <line>; log: <path>`, fit for a terminal: the
    /// program's text cannot carry escape sequences (see `escapingControlCharacters(_:)`).
    public var description: String {
        let line = lastLine.map { "'\($0.count > 300 ? String($0.prefix(300)) + "…" : $0)'" } ?? "none"
        return Self.escapingControlCharacters(
            "member \(member): \(message); last line received: \(line); log: \(logPath)")
    }

    /// `text` with its control characters written as Swift-style escapes (`\u{1B}` for ESC):
    /// the C0 controls but newline and tab, DEL, and the C1 controls U+0080–U+009F. What the
    /// program wrote stays readable, and cannot move the cursor, recolour or retitle the terminal.
    public static func escapingControlCharacters(_ text: String) -> String {
        var escaped = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x09, 0x0A, 0x20..<0x7F, 0xA0...:
                escaped.append(scalar)
            default:
                escaped.append(contentsOf: "\\u{\(String(scalar.value, radix: 16, uppercase: true))}".unicodeScalars)
            }
        }
        return String(escaped)
    }
}
