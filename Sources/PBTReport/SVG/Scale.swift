import Foundation

/// Maps data values to pixels along one axis, linearly or logarithmically, and chooses ticks.
struct Scale: Sendable {
    /// The data interval shown.
    let lower: Double
    /// The data interval's upper end.
    let upper: Double
    /// The pixel at `lower`.
    let from: Double
    /// The pixel at `upper`.
    let to: Double
    /// Whether the axis is logarithmic (base 10).
    let logarithmic: Bool

    /// Creates a scale over `values`' extent (widened when empty or flat), optionally padded.
    /// Non-finite values, and values ≤ 0 on a log scale, are ignored.
    init(covering values: [Double], pixels: (Double, Double), logarithmic: Bool = false, padding: Double = 0) {
        let usable = values.filter { $0.isFinite && (!logarithmic || $0 > 0) }
        var low = usable.min() ?? (logarithmic ? 1 : 0), high = usable.max() ?? (logarithmic ? 10 : 1)
        if logarithmic {
            if high <= low {
                low /= 10
                high *= 10
            }
            let span = log10(high) - log10(low)
            low = pow(10, log10(low) - span * padding)
            high = pow(10, log10(high) + span * padding)
        } else {
            if high <= low {
                let half = low == 0 ? 1 : abs(low) * 0.1
                low -= half
                high += half
            }
            let span = high - low
            low -= span * padding
            high += span * padding
        }
        self.lower = low
        self.upper = high
        self.from = pixels.0
        self.to = pixels.1
        self.logarithmic = logarithmic
    }

    /// The pixel of `value` (values outside the interval map outside the pixel range; values
    /// ≤ 0 on a log scale map to the lower end).
    func callAsFunction(_ value: Double) -> Double {
        let t: Double
        if logarithmic {
            t = (log10(max(value, Double.leastNormalMagnitude)) - log10(lower)) / (log10(upper) - log10(lower))
        } else {
            t = (value - lower) / (upper - lower)
        }
        return from + (to - from) * min(max(t, -0.05), 1.05)
    }

    /// About `count` round tick values inside the interval: 1, 2 or 5 × 10ⁿ apart, or on a
    /// log scale the powers of ten (with 2× and 5× between when there are few decades).
    func ticks(count: Int = 6) -> [Double] {
        if logarithmic {
            let first = Int(floor(log10(lower))), last = Int(ceil(log10(upper)))
            let decades = last - first
            let multiples: [Double] = decades <= 1 ? [1, 2, 5] : decades <= 3 ? [1, 3] : [1]
            let stride = max(1, decades / max(1, count))
            var result: [Double] = []
            for exponent in Swift.stride(from: first, through: last, by: stride) {
                for multiple in multiples {
                    let value = multiple * pow(10, Double(exponent))
                    if value >= lower * 0.999_999, value <= upper * 1.000_001 { result.append(value) }
                }
            }
            return result
        }
        let rough = (upper - lower) / Double(max(1, count))
        let magnitude = pow(10, floor(log10(rough)))
        let step = [1.0, 2, 5, 10].map { $0 * magnitude }.first { $0 >= rough } ?? 10 * magnitude
        var value = ceil(lower / step) * step
        var result: [Double] = []
        while value <= upper + step * 1e-9 {
            result.append(abs(value) < step * 1e-9 ? 0 : value)
            value += step
        }
        return result
    }
}
