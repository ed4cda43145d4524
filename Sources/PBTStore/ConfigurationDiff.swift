import Foundation

/// The difference between two JSON configurations, one line per changed field.
public struct ConfigurationDiff: CustomStringConvertible, Sendable {
    /// `field: stored → requested` lines, sorted by field.
    public let lines: [String]

    /// Compares two JSON texts field by field (nested fields joined with dots).
    public init(stored: String, requested: String) {
        let old = Self.flatten(stored), new = Self.flatten(requested)
        lines = Set(old.keys).union(new.keys).sorted().compactMap { key in
            let before = old[key] ?? "(absent)", after = new[key] ?? "(absent)"
            return before == after ? nil : "  \(key): \(before) → \(after)"
        }
    }

    /// The lines, or a note that only formatting differs.
    public var description: String {
        lines.isEmpty ? "  (no field differs)" : lines.joined(separator: "\n")
    }

    private static func flatten(_ json: String) -> [String: String] {
        guard let data = json.data(using: .utf8), let value = try? JSONSerialization.jsonObject(with: data) else {
            return [:]
        }
        var result: [String: String] = [:]
        func walk(_ value: Any, _ path: String) {
            if let object = value as? [String: Any] {
                for (key, child) in object { walk(child, path.isEmpty ? key : "\(path).\(key)") }
            } else if let array = value as? [Any] {
                for (index, child) in array.enumerated() { walk(child, "\(path)[\(index)]") }
            } else {
                result[path] = "\(value)"
            }
        }
        walk(value, "")
        return result
    }
}
