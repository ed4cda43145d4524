/// Blocked, register-tiled single-precision matrix multiply used by ``MLP``.
///
/// All matrices are row-major. The kernel computes `C[m×n] = op(A)[m×k] · B[k×n]` where the
/// element `(i, p)` of `op(A)` is read at `a[i * aRow + p * aCol]`, so one kernel serves both
/// `A·B` (`aRow = lda, aCol = 1`) and `Aᵀ·B` (`aRow = 1, aCol = lda`). `A·Bᵀ` transposes `B`
/// into a scratch panel first (an `O(k·n)` copy against `O(m·k·n)` work).
///
/// Register tile: 4 rows × `W` columns of `C` in four `Lanes` accumulators; one `W`-wide row of
/// `B` is loaded per step of the inner product and multiplied by four broadcast scalars of `A`.
/// Columns beyond the last multiple of `W` are computed on a zero-padded copy of `B`.
/// `W` is 16 when the build has FMA (and so, on x86, AVX2's 16 vector registers; see
/// ``fmadd(_:_:_:)``) or on arm64, and 8 otherwise, so the accumulators fit SSE's registers.
enum Matmul {
    /// What the kernel does with the finished tile.
    enum Store {
        /// `C = A·B (+ bias)`.
        case overwrite
        /// `C = max(A·B (+ bias), 0)` — the forward pass of a ReLU layer.
        case relu
        /// `C += A·B`.
        case accumulate
    }

    /// Floats of scratch space that ``gemm`` needs for a product with inner dimension `k`.
    static func scratchCount(k: Int) -> Int { k * width + width }

    /// Columns per register tile.
    static let width = Lanes.scalarCount

    /// `C[m×n] (=|+=) op(A)[m×k] · B[k×n] (+ bias)`.
    ///
    /// - Parameters:
    ///   - bias: optional row vector of `n` values added to every row of the product.
    ///   - scratch: at least ``scratchCount(k:)`` floats, used for the column tail.
    static func gemm(
        m: Int, n: Int, k: Int,
        a: UnsafePointer<Float>, aRow: Int, aCol: Int,
        b: UnsafePointer<Float>, ldb: Int,
        c: UnsafeMutablePointer<Float>, ldc: Int,
        bias: UnsafePointer<Float>?, store: Store,
        scratch: UnsafeMutablePointer<Float>
    ) {
        let width = Self.width
        let fullColumns = n - n % width
        var j = 0
        while j < fullColumns {
            let initial = bias.map { loadLanes($0 + j) } ?? Lanes()
            panel(
                m: m, k: k, a: a, aRow: aRow, aCol: aCol, b: b + j, ldb: ldb,
                c: c + j, ldc: ldc, initial: initial, columns: width, store: store)
            j += width
        }
        let tail = n - fullColumns
        if tail > 0 {
            // Copy the last `tail` columns of B into a zero-padded k×width panel.
            let packed = scratch
            for p in 0..<k {
                let src = b + p * ldb + fullColumns
                let dst = packed + p * width
                for q in 0..<width { dst[q] = q < tail ? src[q] : 0 }
            }
            var initial = Lanes()
            if let bias {
                for q in 0..<tail { initial[q] = bias[fullColumns + q] }
            }
            panel(
                m: m, k: k, a: a, aRow: aRow, aCol: aCol, b: UnsafePointer(packed), ldb: width,
                c: c + fullColumns, ldc: ldc, initial: initial, columns: tail, store: store)
        }
    }

    /// `C = A · Bᵀ` with `A` m×k row-major, `B` n×k row-major; `scratch` holds at least
    /// `k·n + scratchCount(k:)` floats.
    static func gemmTransposedB(
        m: Int, n: Int, k: Int,
        a: UnsafePointer<Float>, lda: Int,
        b: UnsafePointer<Float>, ldb: Int,
        c: UnsafeMutablePointer<Float>, ldc: Int,
        store: Store,
        scratch: UnsafeMutablePointer<Float>
    ) {
        // Pack Bᵀ (k×n) so its rows are contiguous.
        let packed = scratch
        transpose(b, rows: n, columns: k, ldb: ldb, into: packed)
        gemm(
            m: m, n: n, k: k, a: a, aRow: lda, aCol: 1, b: UnsafePointer(packed), ldb: n,
            c: c, ldc: ldc, bias: nil, store: store, scratch: scratch + k * n)
    }

    /// `out[c][r] = b[r][c]`: the `rows × columns` matrix `b` (row stride `ldb`) transposed into
    /// `out` (`columns × rows`, row-major), in 8 × 8 blocks held in registers.
    ///
    /// Element by element, each row of `b` would be scattered over `columns` rows of `out`, one
    /// store per value: for the 128 × 128 weights of a hidden layer that took 4× as long and was
    /// a sixth of a GAN training step.
    static func transpose(
        _ b: UnsafePointer<Float>, rows: Int, columns: Int, ldb: Int, into out: UnsafeMutablePointer<Float>
    ) {
        var r = 0
        while r + 8 <= rows {
            var c = 0
            while c + 8 <= columns {
                let s = b + r * ldb + c
                let r0 = load8(s), r1 = load8(s + ldb), r2 = load8(s + 2 * ldb), r3 = load8(s + 3 * ldb)
                let r4 = load8(s + 4 * ldb), r5 = load8(s + 5 * ldb), r6 = load8(s + 6 * ldb)
                let r7 = load8(s + 7 * ldb)
                let d = out + c * rows + r
                for q in 0..<8 {
                    let column = SIMD8(r0[q], r1[q], r2[q], r3[q], r4[q], r5[q], r6[q], r7[q])
                    UnsafeMutableRawPointer(d + q * rows).storeBytes(of: column, as: SIMD8<Float>.self)
                }
                c += 8
            }
            copyTransposed(rows: r..<(r + 8), columns: c..<columns)
            r += 8
        }
        copyTransposed(rows: r..<rows, columns: 0..<columns)

        /// The edges that do not fill a block, value by value.
        func copyTransposed(rows block: Range<Int>, columns range: Range<Int>) {
            for i in block {
                for q in range { out[q * rows + i] = b[i * ldb + q] }
            }
        }
    }

    @inline(__always)
    private static func load8(_ p: UnsafePointer<Float>) -> SIMD8<Float> {
        UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self)
    }

    /// One `width`-column panel of `C`: all rows, 4 at a time.
    @inline(__always)
    static func panel(
        m: Int, k: Int,
        a: UnsafePointer<Float>, aRow: Int, aCol: Int,
        b: UnsafePointer<Float>, ldb: Int,
        c: UnsafeMutablePointer<Float>, ldc: Int,
        initial: Lanes, columns: Int, store: Store
    ) {
        var i = 0
        while i + 4 <= m {
            var c0 = initial
            var c1 = initial
            var c2 = initial
            var c3 = initial
            var pa = a + i * aRow
            var pb = b
            for _ in 0..<k {
                let bv = loadLanes(pb)
                c0 = fmadd(c0, Lanes(repeating: pa[0]), bv)
                c1 = fmadd(c1, Lanes(repeating: pa[aRow]), bv)
                c2 = fmadd(c2, Lanes(repeating: pa[2 * aRow]), bv)
                c3 = fmadd(c3, Lanes(repeating: pa[3 * aRow]), bv)
                pa += aCol
                pb += ldb
            }
            let row = c + i * ldc
            write(c0, row, columns: columns, store: store)
            write(c1, row + ldc, columns: columns, store: store)
            write(c2, row + 2 * ldc, columns: columns, store: store)
            write(c3, row + 3 * ldc, columns: columns, store: store)
            i += 4
        }
        while i < m {
            var c0 = initial
            var pa = a + i * aRow
            var pb = b
            for _ in 0..<k {
                c0 = fmadd(c0, Lanes(repeating: pa[0]), loadLanes(pb))
                pa += aCol
                pb += ldb
            }
            write(c0, c + i * ldc, columns: columns, store: store)
            i += 1
        }
    }

    @inline(__always)
    static func write(_ v: Lanes, _ p: UnsafeMutablePointer<Float>, columns: Int, store: Store) {
        if columns == width {
            switch store {
            case .overwrite: storeLanes(v, p)
            case .relu: storeLanes(v.replacing(with: 0, where: v .< 0), p)
            case .accumulate: storeLanes(loadLanes(p) + v, p)
            }
        } else {
            writePartial(v, p, columns: columns, store: store)
        }
    }

    /// Stores the first `columns` lanes of a tile row (the column tail; kept out of line).
    @inline(never)
    static func writePartial(
        _ v: Lanes, _ p: UnsafeMutablePointer<Float>, columns: Int, store: Store
    ) {
        for q in 0..<columns {
            switch store {
            case .overwrite: p[q] = v[q]
            case .relu: p[q] = max(v[q], 0)
            case .accumulate: p[q] += v[q]
            }
        }
    }
}

#if NEURAL_FMA || arch(arm64)
/// The vector type of one row of a register tile.
typealias Lanes = SIMD16<Float>
#else
/// The vector type of one row of a register tile.
typealias Lanes = SIMD8<Float>
#endif

/// `acc + a * b`, fused into one instruction when the package is built with `NEURAL_FMA`
/// (which requires a CPU target with FMA, e.g. `-Xcc -march=x86-64-v3`) or on arm64. Without
/// hardware FMA, `addingProduct` would call the C library's `fmaf` for every lane.
@inline(__always)
func fmadd<V: SIMD>(_ acc: V, _ a: V, _ b: V) -> V where V.Scalar == Float {
    #if NEURAL_FMA || arch(arm64)
    return acc.addingProduct(a, b)
    #else
    return acc + a * b
    #endif
}

@inline(__always)
func loadLanes(_ p: UnsafePointer<Float>) -> Lanes {
    UnsafeRawPointer(p).loadUnaligned(as: Lanes.self)
}

@inline(__always)
func loadLanes(_ p: UnsafeMutablePointer<Float>) -> Lanes {
    UnsafeRawPointer(p).loadUnaligned(as: Lanes.self)
}

@inline(__always)
func storeLanes(_ v: Lanes, _ p: UnsafeMutablePointer<Float>) {
    UnsafeMutableRawPointer(p).storeBytes(of: v, as: Lanes.self)
}
