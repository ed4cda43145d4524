import Foundation

/// The squared maximum mean discrepancy (Gretton et al. 2012) between two sets of 2-D points
/// under a sum of Gaussian kernels at several length scales:
/// `MMD² = E k(X, X′) + E k(Y, Y′) − 2 E k(X, Y)`, `k(x, y) = Σ_h exp(−‖x − y‖² / 2h²) / |h|`,
/// V-statistics over all pairs.
///
/// The `gan` score. Unlike the energy distance, which is dominated by large-scale structure
/// and ranks a blurred ring above sharp but unevenly filled modes, the small scales reward
/// points that sit on the modes (precision) and the large scale rewards mass spread over all of
/// them (recall): zero exactly when the two empirical distributions coincide.
public enum KernelDistance {
    /// The kernel's length scales: the width of a mode's neighbourhood (0.05), the distance
    /// within which a point is near a mode (0.2), and the ring's scale (1).
    public static let scales: [Double] = [0.05, 0.2, 1]

    /// Squared distances beyond which a scale's kernel is below e⁻⁴⁰ (≈ 4e−18) and skipped.
    private static let cutoffs: [Double] = scales.map { 80 * $0 * $0 }

    /// `E k(a, b)` over all pairs of points of `a` and `b` (x, y pairs, row-major).
    /// - Complexity: O(n·m), with one `exp` per scale only for pairs within its cutoff.
    public static func meanKernel(_ a: [Float], _ b: [Float]) -> Double {
        let n = a.count / 2, m = b.count / 2
        guard n > 0, m > 0 else { return 0 }
        let inverse = scales.map { -1 / (2 * $0 * $0) }
        let weight = 1 / Double(scales.count)
        var total = 0.0
        a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                for i in 0..<n {
                    let x = Double(a[2 * i]), y = Double(a[2 * i + 1])
                    var row = 0.0
                    for j in 0..<m {
                        let dx = x - Double(b[2 * j]), dy = y - Double(b[2 * j + 1])
                        let squared = dx * dx + dy * dy
                        for s in 0..<inverse.count where squared < cutoffs[s] {
                            row += exp(squared * inverse[s])
                        }
                    }
                    total += row
                }
            }
        }
        return total * weight / Double(n * m)
    }

    /// `MMD²` between `generated` and `reference`, given `E k(reference, reference)`.
    public static func squared(_ generated: [Float], _ reference: [Float], referenceTerm: Double) -> Double {
        meanKernel(generated, generated) + referenceTerm - 2 * meanKernel(generated, reference)
    }
}
