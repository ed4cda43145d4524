/// Register-tiled kernels for PB2's dense linear algebra over row-major buffers.
///
/// Each kernel keeps a small block of results in SIMD registers while it streams over the
/// shared dimension, so one load feeds several multiply-adds (the dot-product loop it replaces
/// issued two loads per multiply-add). Written with `SIMD2<Double>`, which every x86-64 and
/// arm64 CPU executes natively; wider vector units are used when the target is compiled for
/// them.

/// `Σ a[k] b[k]` for k < count.
@inline(__always)
func dot(_ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, count: Int) -> Double {
    var s0 = SIMD2<Double>(), s1 = SIMD2<Double>()
    var k = 0
    while k + 4 <= count {
        s0 += load2(a + k) * load2(b + k)
        s1 += load2(a + k + 2) * load2(b + k + 2)
        k += 4
    }
    var sum = (s0 + s1).sum()
    while k < count {
        sum += a[k] * b[k]
        k += 1
    }
    return sum
}

/// `y[k] += factor · x[k]` for k < count.
@inline(__always)
func axpy(_ factor: Double, _ x: UnsafePointer<Double>, _ y: UnsafeMutablePointer<Double>, count: Int) {
    for k in 0..<count { y[k] += factor * x[k] }
}

@inline(__always)
func load2(_ p: UnsafePointer<Double>) -> SIMD2<Double> {
    UnsafeRawPointer(p).loadUnaligned(as: SIMD2<Double>.self)
}

/// Row dot products of a 4 × 2 block: `s[x · 4 + offset + y] = Σ_k r[x · stride + k] · c[y · stride + k]`
/// for x < 4, y < 2, k < count.
@inline(__always)
func rowDots42(
    _ r: UnsafePointer<Double>, _ c: UnsafePointer<Double>, stride: Int, count: Int,
    into s: UnsafeMutablePointer<Double>, offset: Int
) {
    let r0 = r, r1 = r0 + stride, r2 = r1 + stride, r3 = r2 + stride
    let c0 = c, c1 = c0 + stride
    var a00 = SIMD2<Double>(), a01 = SIMD2<Double>(), a10 = SIMD2<Double>(), a11 = SIMD2<Double>()
    var a20 = SIMD2<Double>(), a21 = SIMD2<Double>(), a30 = SIMD2<Double>(), a31 = SIMD2<Double>()
    var k = 0
    while k + 2 <= count {
        let y0 = load2(c0 + k), y1 = load2(c1 + k)
        var x = load2(r0 + k)
        a00 += x * y0
        a01 += x * y1
        x = load2(r1 + k)
        a10 += x * y0
        a11 += x * y1
        x = load2(r2 + k)
        a20 += x * y0
        a21 += x * y1
        x = load2(r3 + k)
        a30 += x * y0
        a31 += x * y1
        k += 2
    }
    var t0 = SIMD2(a00.sum(), a01.sum()), t1 = SIMD2(a10.sum(), a11.sum())
    var t2 = SIMD2(a20.sum(), a21.sum()), t3 = SIMD2(a30.sum(), a31.sum())
    if k < count {
        let y = SIMD2(c0[k], c1[k])
        t0 += r0[k] * y
        t1 += r1[k] * y
        t2 += r2[k] * y
        t3 += r3[k] * y
    }
    s[offset] = t0[0]
    s[offset + 1] = t0[1]
    s[4 + offset] = t1[0]
    s[5 + offset] = t1[1]
    s[8 + offset] = t2[0]
    s[9 + offset] = t2[1]
    s[12 + offset] = t3[0]
    s[13 + offset] = t3[1]
}

/// A 4 × 4 block of a sum of outer products: `s[x · 4 + y] = Σ_k a[x · aStep + k · aStride] · b[k · bStride + y]`
/// for x, y < 4, k < count (b's four columns are contiguous).
@inline(__always)
func outer44(
    _ a: UnsafePointer<Double>, aStep: Int, aStride: Int, _ b: UnsafePointer<Double>, bStride: Int, count: Int,
    into s: UnsafeMutablePointer<Double>
) {
    var c00 = SIMD2<Double>(), c01 = SIMD2<Double>(), c10 = SIMD2<Double>(), c11 = SIMD2<Double>()
    var c20 = SIMD2<Double>(), c21 = SIMD2<Double>(), c30 = SIMD2<Double>(), c31 = SIMD2<Double>()
    var pa = a, pb = b
    for _ in 0..<count {
        let b0 = load2(pb), b1 = load2(pb + 2)
        var x = SIMD2(repeating: pa[0])
        c00 += x * b0
        c01 += x * b1
        x = SIMD2(repeating: pa[aStep])
        c10 += x * b0
        c11 += x * b1
        x = SIMD2(repeating: pa[2 * aStep])
        c20 += x * b0
        c21 += x * b1
        x = SIMD2(repeating: pa[3 * aStep])
        c30 += x * b0
        c31 += x * b1
        pa += aStride
        pb += bStride
    }
    store4(c00, c01, s)
    store4(c10, c11, s + 4)
    store4(c20, c21, s + 8)
    store4(c30, c31, s + 12)
}

@inline(__always)
private func store4(_ low: SIMD2<Double>, _ high: SIMD2<Double>, _ s: UnsafeMutablePointer<Double>) {
    s[0] = low[0]
    s[1] = low[1]
    s[2] = high[0]
    s[3] = high[1]
}
