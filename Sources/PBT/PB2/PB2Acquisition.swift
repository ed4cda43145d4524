#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The upper confidence bound `UCB(h) = μ(h) + κ · s(h)` at the deciding point's time and
/// score, as a function of the encoded hyperparameters `h ∈ [0, 1]^d`, with its gradient.
///
/// `μ` is the mean of the GP on the data; `s` the posterior **standard deviation** of the GP on
/// the data plus the pending points (labelled 0, same kernel parameters). The paper's GP-UCB
/// and its regret bound use `μ + √β σ`; Ray Tune adds `√β σ²`, which mixes units (the mean is
/// in standardised rate, the variance in its square) so the trade-off changes with the fitted
/// σ². `κ = √β_t`, `β_t = 0.2 + max(0, ln(0.4 N))` with `N` the rows in the data GP.
///
/// Exact, and cheap to evaluate: time and score are fixed at the deciding point, so the kernel
/// between the query and row i is `wᵢ · exp(−‖h − hᵢ‖² / ℓ)` with a constant weight `wᵢ`, and
/// rows that share a configuration (one member training on) share the exponential. With
/// the distinct configurations as groups `c` and `e_c(h) = exp(−‖h − h_c‖² / ℓ)`:
/// `μ = Σ_c β_c e_c` with `β_c = Σ_{i∈c} wᵢ αᵢ`, and `kᵀK⁻¹k = eᵀ M e` with `M = GᵀG`,
/// `G = L⁻¹ W E` (E the row-to-group indicator). Each pending point is a group of its own,
/// folded in by extending the data factor by a bordered block. An evaluation costs
/// O(groups² + groups · d) instead of O(n²).
///
/// With unordered choices (PB2-Mix) the query's options are fixed (the bandit chose them) and
/// the mixed kernel between the query and row i is affine in the group's exponential:
/// `aᵢ e_c(h) + bᵢ`, with `aᵢ = wᵢ ((1 − λ)/2 + λ oᵢ)`, `bᵢ = σ² Tᵢ (1 − λ)/2 · oᵢ`, `oᵢ` the
/// row's overlap with the query's options and `Tᵢ` its time decay. So `μ = Σ_c β_c e_c + bᵀα`
/// and `kᵀK⁻¹k = eᵀMe + 2 vᵀe + ‖u‖²` with `G = L⁻¹ A E`, `u = L⁻¹ b`, `v = Gᵀu`.
struct PB2Acquisition {
    /// `d`.
    let dimension: Int
    /// The rows of the data GP, `n`.
    let dataCount: Int
    /// The groups: distinct data configurations, then the pending points.
    let groups: Int
    /// The groups' encoded hyperparameters, row-major `groups × d`.
    let points: [Double]
    /// `β_c` (0 for the pending groups).
    let meanWeights: [Double]
    /// `M`, row-major `groups × groups`.
    let quadratic: [Double]
    /// `v` (empty without unordered choices).
    let linear: [Double]
    /// `‖u‖²` (0 without unordered choices).
    let constant: Double
    /// `bᵀα` (0 without unordered choices).
    let meanOffset: Double
    /// σ².
    let variance: Double
    /// `1 / ℓ`.
    let inverseLength: Double
    /// κ.
    let kappa: Double

    /// Prepares the acquisition at the normalised point `(time, score)`.
    /// - Parameters:
    ///   - process: the GP on the data.
    ///   - pending: encoded configurations chosen since the latest time increase, added at the
    ///     deciding point with label 0 for the spread.
    ///   - time: the deciding point's normalised time.
    ///   - score: the deciding point's normalised score.
    ///   - categories: the query's option indices (with unordered choices only).
    ///   - pendingCategories: the pending configurations' option indices, parallel to `pending`.
    /// - Complexity: O(Σ_c (n − first row of c)² / 2 + groups² · n) for `M`, O(n² · pending) for the border.
    init(
        process: PB2GaussianProcess, pending: [[Double]], time: Double, score: Double, categories: [Int] = [],
        pendingCategories: [[Int]] = []
    ) {
        let inputs = process.inputs, parameters = process.parameters, factor = process.factor
        let m = inputs.dimension, d = m - 1, n = inputs.count
        let mixed = inputs.categoryCount > 0, mix = parameters.mix ?? 1, half = (1 - mix) / 2
        dimension = d
        dataCount = n
        let inverseLength = 1 / parameters.lengthscale
        variance = parameters.variance
        self.inverseLength = inverseLength
        kappa = (0.2 + max(0, log(0.4 * Double(n)))).squareRoot()
        let halfLogDecay = 0.5 * log1p(-parameters.epsilon)
        let base = (0..<n).map { i in
            let gap = score - inputs.z[i * m]
            return parameters.variance
                * exp(-gap * gap / parameters.lengthscale + halfLogDecay * abs(time - inputs.time[i]))
        }
        // PB2-Mix: the data rows' `b` (then the pending points'), their decays σ² Tᵢ, and `a`.
        var offsets: [Double] = [], decays: [Double] = [], weights = base
        if mixed {
            decays = (0..<n).map { parameters.variance * exp(halfLogDecay * abs(time - inputs.time[$0])) }
            offsets = [Double](repeating: 0, count: n + pending.count)
            for i in 0..<n {
                let overlap = PB2Inputs.overlap(categories[...], inputs.categories(of: i))
                offsets[i] = decays[i] * half * overlap
                weights[i] = base[i] * (half + mix * overlap)
            }
            for r in 0..<pending.count {
                offsets[n + r] =
                    parameters.variance * half * PB2Inputs.overlap(categories[...], pendingCategories[r][...])
            }
        }
        // The kernel between the query and pending point r is `pendingWeights[r] e_r + b_{n+r}`.
        let pendingWeights =
            !mixed
            ? Array(repeating: parameters.variance, count: pending.count)
            : pendingCategories.map {
                parameters.variance * (half + mix * PB2Inputs.overlap(categories[...], $0[...]))
            }
        var index: [ArraySlice<Double>: Int] = [:]
        var group = [Int](repeating: 0, count: n), first: [Int] = []
        var points: [Double] = []
        for i in 0..<n {
            let h = inputs.z[(i * m + 1)..<((i + 1) * m)]
            if let known = index[h] {
                group[i] = known
            } else {
                group[i] = first.count
                index[h] = first.count
                first.append(i)
                points.append(contentsOf: h)
            }
        }
        let dataGroups = first.count, p = pending.count, total = dataGroups + p
        for point in pending { points.append(contentsOf: point) }
        var meanWeights = [Double](repeating: 0, count: total)
        for i in 0..<n { meanWeights[group[i]] += weights[i] * process.alpha[i] }
        // Columns of G over the n + p rows of the spread GP, column-major.
        let rows = n + p
        var columns = [Double](repeating: 0, count: rows * total)
        columns.withUnsafeMutableBufferPointer { g in
            let g = g.baseAddress!
            for i in 0..<n { g[group[i] * rows + i] = weights[i] }
            factor.forward(columns: g, rows: rows, starts: first)
        }
        // u = L_s⁻¹ b, its first n entries here, the pending ones below.
        var u = mixed ? factor.forward(Array(offsets[0..<n])) : []
        if p > 0 {
            // K_s = [[K, C], [Cᵀ, P + noise]]; L_s = [[L, 0], [Bᵀ, L_p]] with B = L⁻¹ C and
            // L_p L_pᵀ = P + noise − BᵀB. A column [v; u] maps to [L⁻¹v; L_p⁻¹(u − Bᵀ L⁻¹ v)].
            func squaredGap(_ a: ArraySlice<Double>, _ b: [Double]) -> Double {
                var sum = 0.0
                for (x, y) in zip(a, b) { sum += (x - y) * (x - y) }
                return sum
            }
            var border = [Double](repeating: 0, count: n * p)
            border.withUnsafeMutableBufferPointer { b in
                for r in 0..<p {
                    for i in 0..<n {
                        b[r * n + i] =
                            base[i]
                            * exp(-squaredGap(inputs.z[(i * m + 1)..<((i + 1) * m)], pending[r]) * inverseLength)
                    }
                    guard mixed else { continue }
                    for i in 0..<n {
                        let overlap = PB2Inputs.overlap(inputs.categories(of: i), pendingCategories[r][...])
                        b[r * n + i] = b[r * n + i] * (half + mix * overlap) + decays[i] * half * overlap
                    }
                }
                factor.forward(columns: b.baseAddress!, rows: n, starts: Array(repeating: 0, count: p))
            }
            var schur = [Double](repeating: 0, count: p * p)
            for r in 0..<p {
                for q in 0...r {
                    var sum = parameters.variance * exp(-squaredGap(pending[r][...], pending[q]) * inverseLength)
                    if mixed {
                        let overlap = PB2Inputs.overlap(pendingCategories[r][...], pendingCategories[q][...])
                        sum = sum * (half + mix * overlap) + parameters.variance * half * overlap
                    }
                    if r == q { sum += parameters.noise }
                    for i in 0..<n { sum -= border[r * n + i] * border[q * n + i] }
                    schur[r * p + q] = sum
                }
            }
            let corner = DenseCholesky(schur, n: p)
            for c in 0..<total {
                var tail = [Double](repeating: 0, count: p)
                for r in 0..<p {
                    var sum = c >= dataGroups && c - dataGroups == r ? pendingWeights[r] : 0
                    if c < dataGroups {
                        for i in first[c]..<n { sum -= border[r * n + i] * columns[c * rows + i] }
                    }
                    tail[r] = sum
                }
                // A singular border (a pending point equal to a row) leaves the spread as it was.
                let solved = corner?.forward(tail) ?? Array(repeating: 0, count: p)
                for r in 0..<p { columns[c * rows + n + r] = solved[r] }
            }
            if mixed {
                let tail = (0..<p).map { r in
                    var sum = offsets[n + r]
                    for i in 0..<n { sum -= border[r * n + i] * u[i] }
                    return sum
                }
                u += corner?.forward(tail) ?? Array(repeating: 0, count: p)
            }
        }
        var linear: [Double] = [], constant = 0.0, meanOffset = 0.0
        if mixed {
            linear = [Double](repeating: 0, count: total)
            for c in 0..<total {
                for row in 0..<rows { linear[c] += columns[c * rows + row] * u[row] }
            }
            for value in u { constant += value * value }
            for i in 0..<n { meanOffset += offsets[i] * process.alpha[i] }
        }
        var quadratic = [Double](repeating: 0, count: total * total)
        columns.withUnsafeBufferPointer { g in
            let g = g.baseAddress!
            for c in 0..<total {
                let start = c < dataGroups ? first[c] : n
                for e in 0...c {
                    let from = max(start, e < dataGroups ? first[e] : n)
                    let value = dot(g + c * rows + from, g + e * rows + from, count: rows - from)
                    quadratic[c * total + e] = value
                    quadratic[e * total + c] = value
                }
            }
        }
        self.groups = total
        self.points = points
        self.meanWeights = meanWeights
        self.quadratic = quadratic
        self.linear = linear
        self.constant = constant
        self.meanOffset = meanOffset
    }

    /// The value at `x` with its parts and gradient.
    /// - Complexity: O(groups² + groups · d).
    func evaluate(_ x: [Double]) -> (value: Double, mean: Double, deviation: Double, gradient: [Double]) {
        let d = dimension, n = groups
        var kernel = [Double](repeating: 0, count: n)
        var meanGradient = [Double](repeating: 0, count: d)
        var varianceGradient = [Double](repeating: 0, count: d)
        var mean = 0.0, explained = 0.0
        points.withUnsafeBufferPointer { p in
            kernel.withUnsafeMutableBufferPointer { k in
                for c in 0..<n {
                    var sum = 0.0
                    for j in 0..<d {
                        let gap = x[j] - p[c * d + j]
                        sum += gap * gap
                    }
                    k[c] = -sum * inverseLength
                }
                exponentiate(k.baseAddress!, count: n)
            }
        }
        kernel.withUnsafeBufferPointer { k in
            quadratic.withUnsafeBufferPointer { q in
                points.withUnsafeBufferPointer { p in
                    meanWeights.withUnsafeBufferPointer { a in
                        guard linear.isEmpty else {
                            // PB2-Mix: `explained = eᵀMe + 2vᵀe + ‖u‖²`, `μ = βᵀe + bᵀα`.
                            (mean, explained) = (meanOffset, constant)
                            for c in 0..<n {
                                let solved = dot(q.baseAddress! + c * n, k.baseAddress!, count: n) + linear[c]
                                explained += (solved + linear[c]) * k[c]
                                let meanWeight = a[c] * k[c]
                                mean += meanWeight
                                let spreadWeight = solved * k[c]
                                for j in 0..<d {
                                    let gap = x[j] - p[c * d + j]
                                    meanGradient[j] += meanWeight * gap
                                    varianceGradient[j] += spreadWeight * gap
                                }
                            }
                            return
                        }
                        for c in 0..<n {
                            let solved = dot(q.baseAddress! + c * n, k.baseAddress!, count: n)
                            explained += solved * k[c]
                            let meanWeight = a[c] * k[c]
                            mean += meanWeight
                            let spreadWeight = solved * k[c]
                            for j in 0..<d {
                                let gap = x[j] - p[c * d + j]
                                meanGradient[j] += meanWeight * gap
                                varianceGradient[j] += spreadWeight * gap
                            }
                        }
                    }
                }
            }
        }
        let latent = max(variance - explained, 1e-12)
        let deviation = latent.squareRoot()
        // ∂e_c/∂x = −2 e_c (x − h_c) / ℓ; ∂var/∂x = −2 (M e + v)ᵀ ∂e/∂x; ∂s/∂x = ∂var/∂x / (2 s).
        let gradient = (0..<d).map { j in
            -2 * inverseLength * meanGradient[j] + kappa * (4 * inverseLength * varianceGradient[j]) / (2 * deviation)
        }
        return (mean + kappa * deviation, mean, deviation, gradient)
    }
}
