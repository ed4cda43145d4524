/// Named numbers reported beside the score at a ready point, such as
/// `["train_loss": 0.31, "test_accuracy": 0.94]`: recorded with the score, exported, served
/// and drawn, but never ranked (the scheduler reads only the score).
///
/// A metric's name follows `Metrics.rules` (a letter or `_` first, then letters, digits and
/// `_ . / -`, at most `maximumNameLength` characters, not one of `reservedNames`); a value
/// is finite; a score carries at most `maximumCount` of them.
/// ``validated(_:hyperparameterNames:)`` checks all of it; the memberwise `init` does not, for
/// values read back from a store.
///
/// Iteration and descriptions are in name order, so logs and exports are stable.
public struct Metrics: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The values by name.
    public var values: [String: Double]

    /// Creates a set of metrics without checking them (see ``validated(_:hyperparameterNames:)``).
    public init(_ values: [String: Double] = [:]) {
        self.values = values
    }

    /// No metrics.
    public static let none = Metrics()

    /// The value named `name`, or nil when it was not reported.
    public subscript(name: String) -> Double? { values[name] }

    /// The names, sorted.
    public var names: [String] { values.keys.sorted() }

    /// Whether no metric was reported.
    public var isEmpty: Bool { values.isEmpty }

    /// `name=value` pairs in name order.
    public var description: String {
        names.map { "\($0)=\(values[$0]!)" }.joined(separator: ", ")
    }

    /// Encodes as a JSON object.
    public func encode(to encoder: any Encoder) throws {
        try values.encode(to: encoder)
    }

    /// Decodes a JSON object of numbers.
    public init(from decoder: any Decoder) throws {
        values = try [String: Double](from: decoder)
    }
}

extension Metrics {
    /// The most metrics one score may carry.
    public static let maximumCount = 64
    /// The longest metric name, in characters.
    public static let maximumNameLength = 64
    /// Names a metric may not have: the fields of a score and an event in exports, the API and
    /// TensorBoard (`score`, `step`, `member`, `time`, …).
    public static let reservedNames: Set<String> = [
        "score", "step", "member", "time", "kind", "sequence", "donor", "donor_step", "mutations", "hyperparameters",
        "metrics", "experiment", "status",
    ]
    /// The naming rule, as error messages state it.
    public static let rules =
        """
        a name is 1 to \(maximumNameLength) characters: a letter or '_' first, then letters, digits, '_', '.', \
        '/' or '-'
        """

    /// Checks `values` against the rules and returns them as metrics.
    /// - Parameters:
    ///   - values: the metrics by name.
    ///   - hyperparameterNames: names taken by the member's hyperparameters (exports give each
    ///     a column of its own, so a metric may not share one).
    /// - Throws: `MetricsError` naming the first offending metric, what is wrong and what is
    ///   allowed.
    public static func validated(
        _ values: [String: Double], hyperparameterNames: some Collection<String>
    ) throws -> Metrics {
        guard values.count <= maximumCount else {
            throw MetricsError(.tooMany, "\(values.count) metrics; at most \(maximumCount) are allowed per score")
        }
        // Every ready point passes here (twice: worker and store): the common case, all valid,
        // is checked without sorting or allocating; a refusal then names the first bad metric
        // in name order.
        let valid = values.allSatisfy { name, value in
            value.isFinite && isAllowedName(name) && !reservedNames.contains(name)
                && !hyperparameterNames.contains(name)
        }
        if valid { return Metrics(values) }
        for name in values.keys.sorted() {
            try checkName(name)
            guard !hyperparameterNames.contains(name) else {
                throw MetricsError(
                    .reservedName,
                    "metric '\(name)' has the name of a hyperparameter; rename the metric (exports give each a column)")
            }
            let value = values[name]!
            guard value.isFinite else {
                throw MetricsError(.notFinite, "metric '\(name)' is \(value); a metric must be a finite number")
            }
        }
        return Metrics(values)
    }

    /// `validated(_:hyperparameterNames:)` for metrics of no member in particular.
    public static func validated(_ values: [String: Double]) throws -> Metrics {
        try validated(values, hyperparameterNames: EmptyCollection())
    }

    /// Checks one name against the rules.
    /// - Throws: `MetricsError` (`.reservedName` or `.badName`).
    public static func checkName(_ name: String) throws {
        guard !reservedNames.contains(name) else {
            throw MetricsError(
                .reservedName,
                """
                metric '\(name)' collides with a built-in field; reserved: \
                \(reservedNames.sorted().joined(separator: ", "))
                """
            )
        }
        guard isAllowedName(name) else {
            let shown = name.count > maximumNameLength ? String(name.prefix(maximumNameLength)) + "…" : name
            throw MetricsError(
                .badName, "metric name '\(shown.debugDescription.dropFirst().dropLast())' is not allowed: \(rules)")
        }
    }

    /// Whether `name` has the allowed form: 1 to `maximumNameLength` characters, a letter or
    /// `_` first, then letters, digits, `_`, `.`, `/` or `-`. (Every allowed character is ASCII,
    /// so a name's UTF-8 bytes are its characters; any byte of a non-ASCII one is refused.)
    static func isAllowedName(_ name: String) -> Bool {
        var utf8 = name.utf8.makeIterator()
        guard let first = utf8.next(), isLetter(first) else { return false }
        var count = 1
        while let byte = utf8.next() {
            count += 1
            guard count <= maximumNameLength,
                isLetter(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: ".")
                    || byte == UInt8(ascii: "/") || byte == UInt8(ascii: "-")
            else { return false }
        }
        return true
    }

    private static func isLetter(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
            || byte == UInt8(ascii: "_")
    }
}
