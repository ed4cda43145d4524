/// Median, mean, minimum and maximum of a sample of finite or infinite values.
public struct SampleSummary: Sendable, Hashable, Codable {
    /// The middle value (the mean of the two middle values for an even count).
    public var median: Double
    /// The arithmetic mean.
    public var mean: Double
    /// The smallest value.
    public var min: Double
    /// The largest value.
    public var max: Double

    /// Summarises `values`; nil when empty or when a value is NaN.
    /// - Complexity: O(n log n).
    public init?(_ values: [Double]) {
        guard !values.isEmpty, !values.contains(where: \.isNaN) else { return nil }
        let sorted = values.sorted()
        let middle = sorted.count / 2
        median = sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
        mean = sorted.reduce(0, +) / Double(sorted.count)
        min = sorted[0]
        max = sorted[sorted.count - 1]
    }
}
