import Foundation

/// The value of one hyperparameter: a number (integer domains hold integral numbers) or a name.
public enum HyperparameterValue: Hashable, Sendable, CustomStringConvertible {
    /// A real or integral number.
    case number(Double)
    /// A named option of a choice, such as `"relu"`.
    case text(String)

    /// The number, or nil for text.
    public var number: Double? {
        if case .number(let value) = self { return value }
        return nil
    }

    /// The text, or nil for a number.
    public var text: String? {
        if case .text(let value) = self { return value }
        return nil
    }

    /// The value for logs and summaries: integral numbers without a fraction, others with six
    /// significant digits (exports keep full precision).
    public var description: String {
        switch self {
        case .number(let value):
            if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
            return String(format: "%.6g", value)
        case .text(let value):
            return value
        }
    }
}

extension HyperparameterValue: Codable {
    /// Decodes a JSON number or string.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let number = try? container.decode(Double.self) {
            self = .number(number)
        } else {
            self = .text(try container.decode(String.self))
        }
    }

    /// Encodes as a JSON number or string.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .number(let value): try container.encode(value)
        case .text(let value): try container.encode(value)
        }
    }
}

extension HyperparameterValue: ExpressibleByFloatLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByStringLiteral
{
    /// A number literal.
    public init(floatLiteral value: Double) { self = .number(value) }
    /// An integer literal.
    public init(integerLiteral value: Int) { self = .number(Double(value)) }
    /// A text literal.
    public init(stringLiteral value: String) { self = .text(value) }
}
