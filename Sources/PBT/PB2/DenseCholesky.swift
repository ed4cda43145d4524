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

    /// Blocked left-looking Cholesky–Crout: rows in bands of 32 (so the rows a band reads stay
    /// in cache while the band's 4 × 4 tiles use them), each tile's inner products from
    /// `rowDots42`; `jitter` is added to the diagonal. Reads `a` only on and below the diagonal,
    /// each entry just before writing `l`'s, so `a` and `l` may be the same buffer. Writes only
    /// on and below the diagonal. False when a pivot is not positive.
    static func factorise(
        _ a: UnsafePointer<Double>, jitter: Double, n: Int, into l: UnsafeMutablePointer<Double>
    ) -> Bool {
        let band = 32
        let tile = UnsafeMutablePointer<Double>.allocate(capacity: 16)
        defer { tile.deallocate() }
        var top = 0
        while top < n {
            let end = min(n, top + band)
            // Tiles left of the band: their columns are final.
            var j0 = 0
            while j0 < top {
                var i0 = top
                while i0 < end {
                    _ = finishTile(a, l, n: n, i0: i0, j0: j0, jitter: jitter, tile: tile)
                    i0 += 4
                }
                j0 += 4
            }
            // Tiles inside the band, in order.
            var i0 = top
            while i0 < end {
                var j0 = top
                while j0 <= i0 {
                    guard finishTile(a, l, n: n, i0: i0, j0: j0, jitter: jitter, tile: tile) else { return false }
                    j0 += 4
                }
                i0 += 4
            }
            top = end
        }
        return true
    }

    /// Computes `L[i0..<i0+4][j0..<j0+4]` (clipped to the matrix and the lower triangle), given
    /// every entry of `L` left of column `j0` in those rows and every row above `i0`.
    @inline(__always)
    private static func finishTile(
        _ a: UnsafePointer<Double>, _ l: UnsafeMutablePointer<Double>, n: Int, i0: Int, j0: Int, jitter: Double,
        tile s: UnsafeMutablePointer<Double>
    ) -> Bool {
        let rows = min(4, n - i0), columns = min(4, n - j0)
        if rows == 4 && columns == 4 {
            rowDots42(l + i0 * n, l + j0 * n, stride: n, count: j0, into: s, offset: 0)
            rowDots42(l + i0 * n, l + (j0 + 2) * n, stride: n, count: j0, into: s, offset: 2)
        } else {
            for x in 0..<rows {
                for y in 0..<columns { s[x * 4 + y] = dot(l + (i0 + x) * n, l + (j0 + y) * n, count: j0) }
            }
        }
        for c in 0..<columns {
            let j = j0 + c
            for x in 0..<rows {
                let i = i0 + x
                if j > i { continue }
                var sum = a[i * n + j] - s[x * 4 + c]
                for k in j0..<j { sum -= l[i * n + k] * l[j * n + k] }
                if i == j {
                    sum += jitter
                    guard sum > 0, sum.isFinite else { return false }
                    l[i * n + i] = sum.squareRoot()
                } else {
                    l[i * n + j] = sum / l[j * n + j]
                }
            }
        }
        return true
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
        for i in start..<max(start, n) {
            x[i] = (x[i] - dot(l + i * stride + start, x + start, count: i - start)) / l[i * stride + i]
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
    /// `n × n`; the upper triangle is not written): `M = L⁻¹` by blocked forward substitution
    /// into `scratch`, whose upper triangle must be zero (it stays so), then `MᵀM`, both from
    /// `outer44` tiles.
    /// - Complexity: O(n³/3) multiply-adds.
    static func inverse(
        _ l: UnsafePointer<Double>, stride: Int, n: Int, scratch m: UnsafeMutablePointer<Double>,
        into r: UnsafeMutablePointer<Double>
    ) {
        let tile = UnsafeMutablePointer<Double>.allocate(capacity: 16)
        defer { tile.deallocate() }
        var i0 = 0
        while i0 < n {
            let rows = min(4, n - i0)
            // Column blocks left of the diagonal block: M[I][J] = −(L[I][<i] M[<i][J]) / Lᵢᵢ.
            var j0 = 0
            while j0 + 4 <= i0 {
                if rows == 4 {
                    outer44(l + i0 * stride + j0, aStep: stride, aStride: 1, m + j0 * n + j0, bStride: n,
                        count: i0 - j0, into: tile)
                } else {
                    for x in 0..<rows {
                        for y in 0..<4 {
                            var sum = 0.0
                            for k in j0..<i0 { sum += l[(i0 + x) * stride + k] * m[k * n + j0 + y] }
                            tile[x * 4 + y] = sum
                        }
                    }
                }
                for x in 0..<rows {
                    let i = i0 + x
                    for y in 0..<4 {
                        var sum = tile[x * 4 + y]
                        for k in i0..<i { sum += l[i * stride + k] * m[k * n + j0 + y] }
                        m[i * n + j0 + y] = -sum / l[i * stride + i]
                    }
                }
                j0 += 4
            }
            // The rest of the rows, up to the diagonal, by scalar substitution.
            for x in 0..<rows {
                let i = i0 + x
                for j in j0...i {
                    var sum = i == j ? 1.0 : 0.0
                    for k in j..<i { sum -= l[i * stride + k] * m[k * n + j] }
                    m[i * n + j] = sum / l[i * stride + i]
                }
            }
            i0 += 4
        }
        // (Mᵀ M)ᵢⱼ = Σ_{k ≥ i} M[k][i] M[k][j] for j ≤ i.
        i0 = 0
        while i0 < n {
            var j0 = 0
            while j0 <= i0 {
                if i0 + 4 <= n {
                    outer44(m + i0 * n + i0, aStep: 1, aStride: n, m + i0 * n + j0, bStride: n, count: n - i0, into: tile)
                    for x in 0..<4 {
                        for y in 0..<4 where j0 + y <= i0 + x { r[(i0 + x) * n + j0 + y] = tile[x * 4 + y] }
                    }
                } else {
                    for i in i0..<n {
                        for j in j0..<min(j0 + 4, i + 1) {
                            var sum = 0.0
                            for k in i..<n { sum += m[k * n + i] * m[k * n + j] }
                            r[i * n + j] = sum
                        }
                    }
                }
                j0 += 4
            }
            i0 += 4
        }
    }
}
