#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The Cholesky factor `L` (lower, `K = L Lᵀ`) of a symmetric positive definite matrix, with
/// the jitter that had to be added to the diagonal to make the factorisation succeed.
///
/// Matrices are dense, row-major `n × n` buffers. The factorisation first tries the matrix as
/// given, then adds `jitter = 10⁻¹⁰ · mean(diag)` and multiplies it by 10 up to six times; a
/// matrix that still fails (NaN, or not positive definite) has no factor.
struct DenseCholesky {
    /// The order of the matrix.
    let n: Int
    /// `L`, row-major; the entries above the diagonal are zero.
    private(set) var lower: [Double]
    /// What was added to the diagonal (0 when the matrix factorised as given).
    let jitter: Double

    /// Factorises `matrix` (only its lower triangle is read).
    /// - Complexity: O(n³/3) multiply-adds per attempt.
    init?(_ matrix: [Double], n: Int) {
        self.n = n
        var meanDiagonal = 0.0
        for i in 0..<n { meanDiagonal += matrix[i * n + i] }
        meanDiagonal /= Double(max(n, 1))
        guard meanDiagonal.isFinite, meanDiagonal > 0 || n == 0 else { return nil }
        var attempt = [Double](repeating: 0, count: n * n)
        var jitter = 0.0
        for round in 0...7 {
            if round > 0 { jitter = round == 1 ? 1e-10 * meanDiagonal : jitter * 10 }
            if Self.factorise(matrix, jitter: jitter, n: n, into: &attempt) {
                self.lower = attempt
                self.jitter = jitter
                return
            }
        }
        return nil
    }

    /// Row-by-row (Cholesky–Crout) factorisation; false when a pivot is not positive.
    private static func factorise(_ matrix: [Double], jitter: Double, n: Int, into result: inout [Double]) -> Bool {
        matrix.withUnsafeBufferPointer { a in
            result.withUnsafeMutableBufferPointer { l in
                let l = l.baseAddress!
                for i in 0..<n {
                    let rowI = l + i * n
                    for j in 0...i {
                        let rowJ = l + j * n
                        var sum = a[i * n + j] - dot(rowI, rowJ, count: j)
                        if i == j {
                            sum += jitter
                            guard sum > 0, sum.isFinite else { return false }
                            rowI[i] = sum.squareRoot()
                        } else {
                            rowI[j] = sum / rowJ[j]
                        }
                    }
                    for j in (i + 1)..<n { rowI[j] = 0 }
                }
                return true
            }
        }
    }

    /// `log det K = 2 Σ log Lᵢᵢ`.
    var logDeterminant: Double {
        var sum = 0.0
        for i in 0..<n { sum += log(lower[i * n + i]) }
        return 2 * sum
    }

    /// `L⁻¹ b` by forward substitution.
    func forward(_ b: [Double]) -> [Double] {
        var x = b
        lower.withUnsafeBufferPointer { l in
            x.withUnsafeMutableBufferPointer { x in
                let l = l.baseAddress!, x = x.baseAddress!
                for i in 0..<n {
                    x[i] = (x[i] - dot(l + i * n, x, count: i)) / l[i * n + i]
                }
            }
        }
        return x
    }

    /// `K⁻¹ b`, by forward then backward substitution.
    func solve(_ b: [Double]) -> [Double] {
        var x = forward(b)
        lower.withUnsafeBufferPointer { l in
            x.withUnsafeMutableBufferPointer { x in
                let l = l.baseAddress!, x = x.baseAddress!
                for i in stride(from: n - 1, through: 0, by: -1) {
                    x[i] /= l[i * n + i]
                    let xi = x[i]
                    let row = l + i * n
                    for k in 0..<i { x[k] -= row[k] * xi }
                }
            }
        }
        return x
    }

    /// `K⁻¹` as a full symmetric row-major matrix, as `L⁻ᵀ L⁻¹`.
    /// - Complexity: O(n³/3) multiply-adds.
    func inverse() -> [Double] {
        var inverseLower = [Double](repeating: 0, count: n * n)
        var result = [Double](repeating: 0, count: n * n)
        lower.withUnsafeBufferPointer { l in
            inverseLower.withUnsafeMutableBufferPointer { m in
                let l = l.baseAddress!, m = m.baseAddress!
                for i in 0..<n {
                    let rowI = m + i * n
                    rowI[i] = 1
                    for k in 0..<i {
                        let factor = l[i * n + k]
                        if factor != 0 { axpy(-factor, m + k * n, rowI, count: k + 1) }
                    }
                    let pivot = 1 / l[i * n + i]
                    for j in 0...i { rowI[j] *= pivot }
                }
            }
        }
        inverseLower.withUnsafeBufferPointer { m in
            result.withUnsafeMutableBufferPointer { r in
                let m = m.baseAddress!, r = r.baseAddress!
                for k in 0..<n {
                    let rowK = m + k * n
                    for i in 0...k where rowK[i] != 0 {
                        axpy(rowK[i], rowK, r + i * n, count: i + 1)
                    }
                }
                for i in 0..<n {
                    for j in 0..<i { r[j * n + i] = r[i * n + j] }
                }
            }
        }
        return result
    }
}

/// `Σ a[k] b[k]` for k < count, with four accumulators so the loop vectorises.
@inline(__always)
func dot(_ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, count: Int) -> Double {
    var s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0
    var k = 0
    while k + 4 <= count {
        s0 += a[k] * b[k]
        s1 += a[k + 1] * b[k + 1]
        s2 += a[k + 2] * b[k + 2]
        s3 += a[k + 3] * b[k + 3]
        k += 4
    }
    while k < count {
        s0 += a[k] * b[k]
        k += 1
    }
    return (s0 + s2) + (s1 + s3)
}

/// `y[k] += factor · x[k]` for k < count.
@inline(__always)
func axpy(_ factor: Double, _ x: UnsafePointer<Double>, _ y: UnsafeMutablePointer<Double>, count: Int) {
    for k in 0..<count { y[k] += factor * x[k] }
}
