/// A command's own error (not about arguments, not from a store): printed as `Error: message`
/// with exit code 1.
struct CommandError: Error, CustomStringConvertible {
    /// What went wrong and the fix.
    let message: String

    /// Creates an error.
    init(_ message: String) {
        self.message = message
    }

    /// The message.
    var description: String { message }
}
