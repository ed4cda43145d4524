import PBT
import Yams

/// A YAML value with its path in the file, whose accessors throw `ConfigError`s that name the
/// field, its line and what is allowed.
struct ConfigNode {
    let node: Node
    let path: String
    let file: String

    var line: Int? { node.mark.map { $0.line } }

    func error(_ message: String) -> ConfigError {
        ConfigError(file: file, field: path, line: line, message: message)
    }

    private func child(_ node: Node, _ key: String) -> ConfigNode {
        ConfigNode(node: node, path: path.isEmpty ? key : "\(path).\(key)", file: file)
    }

    /// The text of a scalar as written.
    private var written: String {
        switch node {
        case .scalar(let scalar): "'\(scalar.string)'"
        case .mapping: "a mapping"
        case .sequence: "a list"
        case .alias: "an alias"
        }
    }

    /// The mapping's entries by key, refusing keys not in `allowed`.
    func mapping(allowed: [String]) throws -> [String: ConfigNode] {
        guard case .mapping(let mapping) = node else { throw error("expected a mapping, got \(written)") }
        var result: [String: ConfigNode] = [:]
        for (key, value) in mapping {
            guard let name = key.string else { throw error("keys must be text") }
            guard allowed.contains(name) else {
                throw child(value, name).error("unknown key; allowed: \(allowed.joined(separator: ", "))")
            }
            guard result[name] == nil else { throw child(value, name).error("appears twice") }
            result[name] = child(value, name)
        }
        return result
    }

    /// The mapping's entries by key, any keys.
    func entries() throws -> [(String, ConfigNode)] {
        guard case .mapping(let mapping) = node else { throw error("expected a mapping, got \(written)") }
        return try mapping.map { key, value in
            guard let name = key.string else { throw error("keys must be text") }
            return (name, child(value, name))
        }
    }

    var isMapping: Bool {
        if case .mapping = node { return true }
        return false
    }

    func list() throws -> [ConfigNode] {
        guard case .sequence(let sequence) = node else { throw error("expected a list, got \(written)") }
        return sequence.enumerated().map { ConfigNode(node: $1, path: "\(path)[\($0)]", file: file) }
    }

    func string() throws -> String {
        guard case .scalar(let scalar) = node else { throw error("expected text, got \(written)") }
        return scalar.string
    }

    func number() throws -> Double {
        guard case .scalar = node, let value = node.float, value.isFinite else {
            throw error("expected a finite number, got \(written)")
        }
        return value
    }

    func integer(in range: ClosedRange<Int>) throws -> Int {
        guard case .scalar = node, let value = node.int else { throw error("expected an integer, got \(written)") }
        guard range.contains(value) else {
            throw error(
                """
                must be in \(range.lowerBound)...\(range.upperBound == Int.max ? "" : "\(range.upperBound)"), \
                got \(value)
                """
            )
        }
        return value
    }

    func bool() throws -> Bool {
        guard case .scalar = node, let value = node.bool else { throw error("expected true or false, got \(written)") }
        return value
    }

    func oneOf(_ allowed: [String]) throws -> String {
        let value = try string()
        guard allowed.contains(value) else {
            throw error("'\(value)' is not allowed; allowed: \(allowed.joined(separator: ", "))")
        }
        return value
    }

    /// A hyperparameter value: a number, or text.
    func value() throws -> HyperparameterValue {
        guard case .scalar(let scalar) = node else { throw error("expected a number or text, got \(written)") }
        if scalar.style == .plain, let number = node.float, number.isFinite { return .number(number) }
        return .text(scalar.string)
    }
}
