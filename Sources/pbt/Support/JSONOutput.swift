import Foundation

/// JSON as the commands print it: sorted keys, scores with full precision, and ±infinity
/// (a diverged member's worst score) as the strings `"Infinity"` and `"-Infinity"`.
enum JSONOutput {
    /// The value as one line of JSON text.
    static func text(_ value: some Encodable, pretty: Bool = false) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = pretty ? [.sortedKeys, .prettyPrinted] : [.sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        encoder.dateEncodingStrategy = .iso8601
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}

/// Numbers and dates as the commands' tables show them.
enum Format {
    /// Six significant digits, or `—` for none.
    static func score(_ value: Double?) -> String {
        value.map { String(format: "%.6g", $0) } ?? "—"
    }

    /// Seconds as `12.3 s` (three significant digits, at least).
    static func seconds(_ value: Double) -> String {
        String(format: "%.3g s", value)
    }

    /// `text` padded with spaces on the left to `width`.
    static func right(_ text: String, _ width: Int) -> String {
        String(repeating: " ", count: max(0, width - text.count)) + text
    }

    /// `text` padded with spaces on the right to `width`.
    static func left(_ text: String, _ width: Int) -> String {
        text + String(repeating: " ", count: max(0, width - text.count))
    }

    /// A creation date as `yyyy-MM-dd HH:mm:ss` in UTC.
    static func date(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss 'UTC'"
        return formatter.string(from: date)
    }
}
