import Foundation
import Neural

/// The target distribution of the `gan` workload: an equal mixture of 8 isotropic 2-D
/// Gaussians whose means are evenly spaced on a circle.
public struct RingOfGaussians: Sendable, Hashable {
    /// Number of modes.
    public static let modes = 8
    /// Radius of the circle of means.
    public let radius: Double
    /// Standard deviation of each mode.
    public let standardDeviation: Double

    /// Creates the mixture.
    public init(radius: Double = 2, standardDeviation: Double = 0.02) {
        self.radius = radius
        self.standardDeviation = standardDeviation
    }

    /// The mean of mode `k`: angle 2πk/8.
    public func center(_ k: Int) -> (x: Double, y: Double) {
        let angle = 2 * Double.pi * Double(k) / Double(Self.modes)
        return (radius * cos(angle), radius * sin(angle))
    }

    /// Writes `count` samples (x, y pairs) to `destination`: a uniform mode, then Gaussian noise.
    public func sample(count: Int, into destination: UnsafeMutablePointer<Float>, using rng: inout NeuralRNG) {
        for i in 0..<count {
            let (cx, cy) = center(Int(rng.next() % UInt64(Self.modes)))
            destination[2 * i] = Float(cx + rng.normal(standardDeviation: standardDeviation))
            destination[2 * i + 1] = Float(cy + rng.normal(standardDeviation: standardDeviation))
        }
    }
}
