import Foundation
import Testing

@testable import PBT

/// The bounded optimiser against scipy's L-BFGS-B (cases from `scripts/pb2_reference.py`).
@Suite("Bounded L-BFGS")
struct BoundedLBFGSTests {
    /// The problems of the reference script, by name: value and gradient.
    static func problem(_ name: String) -> ([Double]) -> (value: Double, gradient: [Double])? {
        switch name {
        case "quadratic":
            let w = [1.0, 3, 0.5], c = [1.5, 0.25, -0.4]
            return { x in
                var value = 0.0
                var gradient: [Double] = []
                for i in 0..<3 {
                    let gap: Double = x[i] - c[i]
                    value += w[i] * gap * gap
                    gradient.append(2 * w[i] * gap)
                }
                return (value, gradient)
            }
        case "rosenbrock":
            return { x in
                let a = x[1] - x[0] * x[0]
                return (100 * a * a + (1 - x[0]) * (1 - x[0]), [-400 * x[0] * a - 2 * (1 - x[0]), 200 * a])
            }
        default:
            return { x in
                let e = [exp(x[0] + 2 * x[1]), exp(-x[0]), exp(x[2] - x[1])]
                let s = e[0] + e[1] + e[2]
                let norm = x[0] * x[0] + x[1] * x[1] + x[2] * x[2]
                return (log(s) + 0.5 * norm, [(e[0] - e[1]) / s + x[0], (2 * e[0] - e[2]) / s + x[1], e[2] / s + x[2]])
            }
        }
    }

    @Test("reaches scipy's L-BFGS-B optimum", arguments: PB2OptimiserCase.all)
    func matchesScipy(_ reference: PB2OptimiserCase) {
        let optimiser = BoundedLBFGS(lower: reference.lower, upper: reference.upper, maximumIterations: 1000)
        let result = optimiser.minimize(from: reference.start, Self.problem(reference.name))
        for (value, expected) in zip(result.x, reference.minimum) {
            #expect(abs(value - expected) < 1e-6, "x \(result.x) vs scipy \(reference.minimum)")
        }
        #expect(abs(result.value - reference.value) < 1e-10 * max(1, abs(reference.value)), "\(result)")
    }

    @Test("never leaves the box, whatever the start", arguments: 0..<20)
    func staysInBounds(seed: UInt64) {
        var random = PBTRandom(seed: seed)
        let optimiser = BoundedLBFGS(lower: [-1, -1], upper: [1, 1])
        let start = [4 * random.unit() - 2, 4 * random.unit() - 2]
        let result = optimiser.minimize(from: start) { x in
            #expect(x.allSatisfy { $0 >= -1 && $0 <= 1 })
            return (-(x[0] * x[0]) + sin(3 * x[1]), [-2 * x[0], 3 * cos(3 * x[1])])
        }
        #expect(result.value <= -(start[0] * start[0]) + sin(3 * start[1]) + 1e-12 || start.contains { abs($0) > 1 })
    }

    @Test(
        "asks for the gradient only at the start and the accepted points, along the same path",
        arguments: ["quadratic", "rosenbrock", "logsumexp"])
    func gradientOnlyWhereAccepted(name: String) {
        let function = Self.problem(name)
        let dimension = name == "rosenbrock" ? 2 : 3
        let optimiser = BoundedLBFGS(
            lower: Array(repeating: -2, count: dimension), upper: Array(repeating: 2, count: dimension),
            maximumIterations: 1000)
        let start = Array([1.9, -1.7, 0.3].prefix(dimension))
        var combinedPath: [[Double]] = []
        let combined = optimiser.minimize(from: start) { x in
            combinedPath.append(x)
            return function(x)
        }
        var values: [[Double]] = [], gradients: [[Double]] = []
        let split = optimiser.minimize(
            from: start,
            value: { x in
                values.append(x)
                return function(x)?.value
            },
            gradient: { x in
                #expect(x == values.last, "the gradient is asked for right after the value at the same point")
                gradients.append(x)
                return function(x)!.gradient
            })
        #expect(values == combinedPath)
        #expect(split.x == combined.x && split.value == combined.value && split.iterations == combined.iterations)
        #expect(gradients.count <= split.iterations + 1)
        if name == "rosenbrock" { #expect(gradients.count < values.count, "rejected trial points cost no gradient") }
    }
}
