/// Minimises a smooth function within a box by projected L-BFGS: a limited-memory BFGS
/// direction over the variables not held at a bound, a backtracking (Armijo) search along the
/// projected path, and the memory reset whenever the direction fails to descend.
///
/// A simpler relative of L-BFGS-B (Byrd, Lu, Nocedal & Zhu 1995): no generalised Cauchy point,
/// which is enough for PB2's few smooth, well-scaled problems and is checked against scipy's
/// `minimize(method="L-BFGS-B")` on recorded cases.
struct BoundedLBFGS {
    /// The lower bounds.
    let lower: [Double]
    /// The upper bounds.
    let upper: [Double]
    /// How many correction pairs are kept.
    var memory = 10
    /// The most iterations.
    var maximumIterations = 200
    /// Stop when the projected gradient's largest component is below this.
    var gradientTolerance = 1e-9
    /// Stop when `(f_k − f_{k+1}) / max(|f_k|, |f_{k+1}|, 1)` is below this.
    var relativeReduction = 1e-15

    /// The result: the point, its value, and the iterations used.
    struct Result {
        /// The best point found.
        var x: [Double]
        /// `f(x)`.
        var value: Double
        /// How many iterations ran.
        var iterations: Int
    }

    /// Minimises `function`, which returns the value and gradient, or nil where undefined
    /// (treated as +∞, so the search backs off).
    /// - Parameter start: the first point; it is clamped into the box.
    func minimize(from start: [Double], _ function: ([Double]) -> (value: Double, gradient: [Double])?) -> Result {
        var gradientAtLastValue: [Double] = []
        return minimize(
            from: start,
            value: { x in
                guard let (value, gradient) = function(x) else { return nil }
                gradientAtLastValue = gradient
                return value
            },
            gradient: { _ in gradientAtLastValue })
    }

    /// Minimises a function whose gradient costs more than its value: the line search asks
    /// only for values, and `gradient(x)` is called only for the start and each accepted point,
    /// right after `value(x)` (so it may reuse what `value` computed). `value` returns nil where
    /// the function is undefined (treated as +∞, so the search backs off). The iterates are the
    /// same as with a function that returns both.
    /// - Parameter start: the first point; it is clamped into the box.
    func minimize(
        from start: [Double], value function: ([Double]) -> Double?, gradient gradientAt: ([Double]) -> [Double]
    ) -> Result {
        let n = start.count
        var x = project(start)
        guard var value = function(x) else { return Result(x: x, value: .infinity, iterations: 0) }
        var gradient = gradientAt(x)
        var steps: [[Double]] = [], changes: [[Double]] = [], curvatures: [Double] = []
        var iteration = 0
        while iteration < maximumIterations {
            iteration += 1
            let free = (0..<n).map { i in
                !((x[i] <= lower[i] && gradient[i] > 0) || (x[i] >= upper[i] && gradient[i] < 0))
            }
            var projectedNorm = 0.0
            for i in 0..<n where free[i] { projectedNorm = max(projectedNorm, abs(gradient[i])) }
            if projectedNorm <= gradientTolerance { break }

            var direction = twoLoop(gradient, free: free, steps: steps, changes: changes, curvatures: curvatures)
            var slope = 0.0
            for i in 0..<n { slope += direction[i] * gradient[i] }
            if !(slope < 0) {
                steps.removeAll()
                changes.removeAll()
                curvatures.removeAll()
                direction = (0..<n).map { free[$0] ? -gradient[$0] : 0 }
            }
            // A first step without curvature information moves at most one unit per coordinate.
            var stepLength = steps.isEmpty ? min(1, 1 / projectedNorm) : 1
            var accepted: (x: [Double], value: Double, gradient: [Double])?
            for _ in 0..<40 {
                let candidate = project((0..<n).map { x[$0] + stepLength * direction[$0] })
                var decrease = 0.0
                for i in 0..<n { decrease += gradient[i] * (candidate[i] - x[i]) }
                // A long step may be folded by the projection into an ascent; shorter ones are not.
                if decrease < 0, let newValue = function(candidate), newValue.isFinite,
                    newValue <= value + 1e-4 * decrease
                {
                    accepted = (candidate, newValue, gradientAt(candidate))
                    break
                }
                stepLength *= 0.5
            }
            guard let accepted else { break }
            let step = (0..<n).map { accepted.x[$0] - x[$0] }
            let change = (0..<n).map { accepted.gradient[$0] - gradient[$0] }
            var curvature = 0.0, changeNorm = 0.0
            for i in 0..<n {
                curvature += step[i] * change[i]
                changeNorm += change[i] * change[i]
            }
            if curvature > 1e-12 * changeNorm, curvature > 0 {
                steps.append(step)
                changes.append(change)
                curvatures.append(curvature)
                if steps.count > memory {
                    steps.removeFirst()
                    changes.removeFirst()
                    curvatures.removeFirst()
                }
            }
            let reduction = (value - accepted.value) / max(abs(value), abs(accepted.value), 1)
            (x, value, gradient) = accepted
            if reduction <= relativeReduction { break }
        }
        return Result(x: x, value: value, iterations: iteration)
    }

    /// Clamps `x` into the box.
    func project(_ x: [Double]) -> [Double] {
        (0..<x.count).map { min(upper[$0], max(lower[$0], x[$0])) }
    }

    /// The L-BFGS two-loop recursion `−H g` restricted to the free variables.
    private func twoLoop(
        _ gradient: [Double], free: [Bool], steps: [[Double]], changes: [[Double]], curvatures: [Double]
    ) -> [Double] {
        let n = gradient.count
        var q = (0..<n).map { free[$0] ? gradient[$0] : 0 }
        var alphas = [Double](repeating: 0, count: steps.count)
        for k in stride(from: steps.count - 1, through: 0, by: -1) {
            var sum = 0.0
            for i in 0..<n where free[i] { sum += steps[k][i] * q[i] }
            alphas[k] = sum / curvatures[k]
            for i in 0..<n where free[i] { q[i] -= alphas[k] * changes[k][i] }
        }
        if let last = changes.last {
            var norm = 0.0
            for i in 0..<n { norm += last[i] * last[i] }
            let scale = curvatures.last! / norm
            for i in 0..<n { q[i] *= scale }
        }
        for k in 0..<steps.count {
            var sum = 0.0
            for i in 0..<n where free[i] { sum += changes[k][i] * q[i] }
            let beta = sum / curvatures[k]
            for i in 0..<n where free[i] { q[i] += (alphas[k] - beta) * steps[k][i] }
        }
        return (0..<n).map { free[$0] ? -q[$0] : 0 }
    }
}
