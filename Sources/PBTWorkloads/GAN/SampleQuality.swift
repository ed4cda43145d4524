/// How close a set of generated 2-D points is to samples of a ``RingOfGaussians``.
public struct SampleQuality: Sendable, Hashable {
    /// The squared multi-scale kernel distance (``KernelDistance``) between the generated
    /// points and the target points; the `gan` score is its negative.
    public var kernelDistance: Double
    /// The energy distance `2E‖X−Y‖ − E‖X−X′‖ − E‖Y−Y′‖` between the generated points X and
    /// the target points Y (V-statistic over all pairs). Zero exactly when the two empirical
    /// distributions coincide. Reported, not scored: it ranks a blurred ring above sharp modes.
    public var energyDistance: Double
    /// Modes that hold at least 1/8 of their fair share of the generated points (≥ n/64 of n)
    /// within ``nearRadius(_:)`` of their mean.
    public var modesCovered: Int
    /// Fraction of generated points within ``nearRadius(_:)`` of some mode's mean.
    public var nearFraction: Double

    /// A point counts as near a mode when within this distance of its mean: 0.1 + 3σ
    /// (0.16 for the default σ = 0.02; neighbouring means are 1.53 apart on a radius-2 ring).
    public static func nearRadius(_ target: RingOfGaussians) -> Double {
        0.1 + 3 * target.standardDeviation
    }

    /// Measures `generated` against `reference` samples of `target` (x, y pairs, row-major).
    /// - Parameters:
    ///   - generated: the generated points.
    ///   - reference: points drawn from `target`.
    ///   - target: the ring the points should cover.
    ///   - referenceTerm: `KernelDistance.meanKernel(reference, reference)`, when known.
    ///   - referenceDistance: `SampleQuality.meanDistance(reference, reference)`, when known.
    /// - Complexity: O((n + m)²) distance evaluations for n generated and m reference points
    ///   (O(n² + n·m) when both reference terms are given).
    public init(
        generated: [Float], reference: [Float], target: RingOfGaussians, referenceTerm: Double? = nil,
        referenceDistance: Double? = nil
    ) {
        kernelDistance = KernelDistance.squared(
            generated, reference, referenceTerm: referenceTerm ?? KernelDistance.meanKernel(reference, reference))
        energyDistance =
            2 * Self.meanDistance(generated, reference) - Self.meanDistance(generated, generated)
            - (referenceDistance ?? Self.meanDistance(reference, reference))
        let n = generated.count / 2
        let near = Self.nearRadius(target)
        var perMode = [Int](repeating: 0, count: RingOfGaussians.modes)
        var nearCount = 0
        for i in 0..<n {
            let x = Double(generated[2 * i]), y = Double(generated[2 * i + 1])
            for k in 0..<RingOfGaussians.modes {
                let c = target.center(k)
                let dx = x - c.x, dy = y - c.y
                if (dx * dx + dy * dy).squareRoot() < near {
                    perMode[k] += 1
                    nearCount += 1
                    break
                }
            }
        }
        let threshold = max(1, n / (8 * RingOfGaussians.modes))
        modesCovered = perMode.filter { $0 >= threshold }.count
        nearFraction = n > 0 ? Double(nearCount) / Double(n) : 0
    }

    /// Mean Euclidean distance over all pairs (a, b), accumulated in `Double`.
    static func meanDistance(_ a: [Float], _ b: [Float]) -> Double {
        let n = a.count / 2, m = b.count / 2
        guard n > 0, m > 0 else { return 0 }
        var total = 0.0
        a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                for i in 0..<n {
                    let x = Double(a[2 * i]), y = Double(a[2 * i + 1])
                    for j in 0..<m {
                        let dx = x - Double(b[2 * j]), dy = y - Double(b[2 * j + 1])
                        total += (dx * dx + dy * dy).squareRoot()
                    }
                }
            }
        }
        return total / Double(n * m)
    }
}
