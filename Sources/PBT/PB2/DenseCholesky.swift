import CDense

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
///
/// The leading `m × m` block of `L` is the factor of the leading `m × m` block of `K`, so
/// `leading(m)` gives the factor of every nested sub-problem without refactorising.
struct DenseCholesky {
    /// The order of the matrix.
    let n: Int
    /// The distance between rows of `lower` (at least `n`; larger for a leading block).
    let stride: Int
    /// `L`, row-major with `stride` between rows; the entries above the diagonal are zero.
    private(set) var lower: [Double]
    /// What was added to the diagonal (0 when the matrix factorised as given).
    let jitter: Double

    /// Factorises `matrix` (only its lower triangle is read).
    /// - Complexity: O(n³/3) multiply-adds per attempt.
    init?(_ matrix: [Double], n: Int) {
        self.n = n
        self.stride = n
        var meanDiagonal = 0.0
        for i in 0..<n { meanDiagonal += matrix[i * n + i] }
        meanDiagonal /= Double(max(n, 1))
        guard meanDiagonal.isFinite, meanDiagonal > 0 || n == 0 else { return nil }
        var attempt = [Double](repeating: 0, count: n * n)
        var jitter = 0.0
        for round in 0...7 {
            if round > 0 { jitter = round == 1 ? 1e-10 * meanDiagonal : jitter * 10 }
            let factorised = matrix.withUnsafeBufferPointer { a in
                attempt.withUnsafeMutableBufferPointer { l in
                    Self.factorise(a.baseAddress!, jitter: jitter, n: n, into: l.baseAddress!)
                }
            }
            if factorised {
                self.lower = attempt
                self.jitter = jitter
                return
            }
        }
        return nil
    }

    /// Factorises the matrix `make()` returns in its own storage (no second `n × n` buffer);
    /// only if that fails, `make()` is called again for the copying initialiser's jittered attempts.
    static func factorising(n: Int, _ make: () -> [Double]) -> DenseCholesky? {
        var matrix = make()
        let factorised = matrix.withUnsafeMutableBufferPointer { a in
            factorise(a.baseAddress!, jitter: 0, n: n, into: a.baseAddress!)
        }
        guard factorised else { return DenseCholesky(make(), n: n) }
        matrix.withUnsafeMutableBufferPointer { a in
            for i in 0..<n {
                for j in (i + 1)..<max(i + 1, n) { a[i * n + j] = 0 }
            }
        }
        return DenseCholesky(n: n, stride: n, lower: matrix, jitter: 0)
    }

    private init(n: Int, stride: Int, lower: [Double], jitter: Double) {
        self.n = n
        self.stride = stride
        self.lower = lower
        self.jitter = jitter
    }

    /// The factor of the leading `count × count` block, sharing this factor's storage.
    func leading(_ count: Int) -> DenseCholesky {
        precondition(count >= 0 && count <= n)
        return DenseCholesky(n: count, stride: stride, lower: lower, jitter: jitter)
    }

    /// `Lᵢᵢ`.
    func diagonal(_ i: Int) -> Double { lower[i * stride + i] }

    /// The `wide` argument of the CDense kernels: the widest instruction set (AVX-512, else
    /// AVX, else the baseline) the CPU has (the kernels check `pbt_dense_wide_available`
    /// themselves); the results are the same bits at every level.
    static let wide: Int32 = 2

    /// Blocked left-looking Cholesky–Crout (`pbt_cholesky`): `jitter` is added to the
    /// diagonal; `a` is read only on and below the diagonal, each entry just before `l`'s is
    /// written, so `a` and `l` may be the same buffer. Writes only on and below the diagonal.
    /// False when a pivot is not positive.
    static func factorise(
        _ a: UnsafePointer<Double>, jitter: Double, n: Int, into l: UnsafeMutablePointer<Double>
    ) -> Bool {
        pbt_cholesky(a, jitter, n, l, wide) != 0
    }

    /// `log det K = 2 Σ log Lᵢᵢ`.
    var logDeterminant: Double {
        var sum = 0.0
        for i in 0..<n { sum += log(diagonal(i)) }
        return 2 * sum
    }

    /// `L⁻¹ b` by forward substitution.
    func forward(_ b: [Double]) -> [Double] {
        var x = b
        x.withUnsafeMutableBufferPointer { forward($0.baseAddress!, from: 0) }
        return x
    }

    /// Overwrites `x[0..<n]` with `L⁻¹ x`, given `x[k] = 0` for k < start (so is the result there).
    /// - Complexity: O((n − start)²/2) multiply-adds.
    func forward(_ x: UnsafeMutablePointer<Double>, from start: Int) {
        lower.withUnsafeBufferPointer { Self.forward($0.baseAddress!, stride: stride, n: n, x, from: start) }
    }

    /// Overwrites `x[0..<n]` with `L⁻ᵀ x` by backward substitution.
    func backward(_ x: UnsafeMutablePointer<Double>) {
        lower.withUnsafeBufferPointer { Self.backward($0.baseAddress!, stride: stride, n: n, x) }
    }

    /// `forward` on a factor in a raw buffer.
    static func forward(
        _ l: UnsafePointer<Double>, stride: Int, n: Int, _ x: UnsafeMutablePointer<Double>, from start: Int
    ) {
        pbt_forward(l, stride, n, x, start, wide)
    }

    /// `forward` on `starts.count` vectors at once: vector c is `columns[c · rows ..< c · rows + n]`,
    /// zero before `starts[c]`. Reads the factor once for every eight vectors.
    /// - Complexity: O(Σ_c (n − starts[c])²/2) multiply-adds.
    func forward(columns: UnsafeMutablePointer<Double>, rows: Int, starts: [Int]) {
        lower.withUnsafeBufferPointer { l in
            pbt_forward_columns(l.baseAddress!, stride, n, columns, rows, starts.count, starts, Self.wide)
        }
    }

    /// `backward` on a factor in a raw buffer.
    static func backward(_ l: UnsafePointer<Double>, stride: Int, n: Int, _ x: UnsafeMutablePointer<Double>) {
        for i in Swift.stride(from: n - 1, through: 0, by: -1) {
            x[i] /= l[i * stride + i]
            let xi = x[i]
            let row = l + i * stride
            for k in 0..<i { x[k] -= row[k] * xi }
        }
    }

    /// `K⁻¹ b`, by forward then backward substitution.
    func solve(_ b: [Double]) -> [Double] {
        var x = b
        x.withUnsafeMutableBufferPointer { x in
            forward(x.baseAddress!, from: 0)
            backward(x.baseAddress!)
        }
        return x
    }

    /// `K⁻¹` as a full symmetric row-major `n × n` matrix (see `inverse(_:stride:n:scratch:into:)`).
    /// - Complexity: O(n³/3) multiply-adds.
    func inverse() -> [Double] {
        var scratch = [Double](repeating: 0, count: n * n)
        var result = [Double](repeating: 0, count: n * n)
        let n = self.n
        lower.withUnsafeBufferPointer { l in
            scratch.withUnsafeMutableBufferPointer { m in
                result.withUnsafeMutableBufferPointer { r in
                    Self.inverse(l.baseAddress!, stride: stride, n: n, scratch: m.baseAddress!, into: r.baseAddress!)
                    for i in 0..<n {
                        for j in 0..<i { r[j * n + i] = r[i * n + j] }
                    }
                }
            }
        }
        return result
    }

    /// The lower triangle (with the diagonal) of `K⁻¹ = L⁻ᵀ L⁻¹` into `result` (row-major
    /// `n × n`; the upper triangle is not written), by `pbt_cholesky_inverse`: `M = L⁻¹` by
    /// blocked forward substitution into `scratch` (`n × n` of workspace, whatever it holds;
    /// overwritten), then `MᵀM`.
    /// - Complexity: O(n³/3) multiply-adds.
    static func inverse(
        _ l: UnsafePointer<Double>, stride: Int, n: Int, scratch m: UnsafeMutablePointer<Double>,
        into r: UnsafeMutablePointer<Double>
    ) {
        pbt_cholesky_inverse(l, stride, n, m, r, wide)
    }
}

/// `Σ a[k] b[k]` for k < count.
@inline(__always)
func dot(_ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, count: Int) -> Double {
    pbt_dot(a, b, count, DenseCholesky.wide)
}
