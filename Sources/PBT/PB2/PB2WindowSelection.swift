#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Chooses how many of the newest observations the GP uses: all of them below `minimum`,
/// otherwise the length `L ∈ {minimum, minimum + step, …} ≤ n` with the highest log marginal
/// likelihood.
///
/// Ray Tune refits the GP on every candidate window, each normalised on its own, and compares
/// the likelihoods (its `(index + 20) · 10` is the scored length `200 + 10 · index`). Here every
/// candidate is scored under one model, so that one factorisation scores them all: the rows
/// are ordered newest first, their time and score min–max normalised over all `n` rows, the
/// kernel parameters fitted once (on the newest `minimum` rows, see `PB2Model`), and each
/// window is then a leading block of one kernel matrix, whose factor is the leading block of
/// the matrix's factor. The targets stay Ray's: each window's rates standardised over that
/// window (exactly, from prefix sums of `a = L⁻¹ c` and `b = L⁻¹ 1`), except that the clip to
/// ±2 standard deviations is applied once, over all rows, before (clipping per window would
/// make the windows' targets differ row by row).
enum PB2WindowSelection {
    /// The log marginal likelihood of every leading window, `result[L − 1]` for length L: the
    /// GP with factor `factor.leading(L)` on the targets `(cᵢ − m_L) / (s_L + floor)`, i < L,
    /// with `m_L` and `s_L` the mean and population standard deviation of `c[0..<L]`.
    /// - Complexity: O(n²) for two triangular solves.
    static func prefixLikelihoods(factor: DenseCholesky, values c: [Double], floor: Double) -> [Double] {
        let n = factor.n
        let a = factor.forward(c)
        let b = factor.forward(Array(repeating: 1, count: n))
        var result: [Double] = []
        result.reserveCapacity(n)
        var sum = 0.0, sumSquares = 0.0, aa = 0.0, ab = 0.0, bb = 0.0, logDiagonal = 0.0
        let halfLog2Pi = 0.5 * log(2 * Double.pi)
        for i in 0..<n {
            sum += c[i]
            sumSquares += c[i] * c[i]
            aa += a[i] * a[i]
            ab += a[i] * b[i]
            bb += b[i] * b[i]
            logDiagonal += log(factor.diagonal(i))
            let length = Double(i + 1)
            let mean = sum / length
            let deviation = max(0, sumSquares / length - mean * mean).squareRoot() + floor
            let quadratic = (aa - 2 * mean * ab + mean * mean * bb) / (deviation * deviation)
            result.append(-0.5 * quadratic - logDiagonal - length * halfLog2Pi)
        }
        return result
    }

    /// The candidate length with the highest likelihood (the shortest of equals); `n` when
    /// `n < minimum`.
    static func length(likelihoods: [Double], minimum: Int, step: Int) -> Int {
        let n = likelihoods.count
        guard n >= minimum else { return n }
        var best = (length: n, likelihood: -Double.infinity)
        for length in Swift.stride(from: minimum, through: n, by: step) where likelihoods[length - 1] > best.likelihood
        {
            best = (length, likelihoods[length - 1])
        }
        return best.length
    }
}
