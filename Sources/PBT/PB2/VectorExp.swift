/// `x[k] ← exp(x[k])` for k < count, two lanes at a time: PB2's kernel matrices need up to
/// n²/2 ≈ 500,000 exponentials each, and the C library's scalar `exp` cost more than the
/// factorisation of the fit's matrices.
///
/// Cody–Waite reduction `x = k ln 2 + r` with `|r| ≤ ½ ln 2`, `exp(r)` by its Taylor series to
/// degree 13 (truncation below 5 · 10⁻¹⁸ relative), then `2ᵏ` from the exponent bits. Within
/// 2 · 10⁻¹⁶ relative of the correctly rounded value on `[−708, 709]` (tested against the C
/// library); below −708 the result is 0 (the true value is under 4 · 10⁻³⁰⁸), above 709 it is
/// `exp(709)`. NaN stays NaN.
func exponentiate(_ x: UnsafeMutablePointer<Double>, count: Int) {
    var k = 0
    while k + 2 <= count {
        let value = exponential(UnsafeRawPointer(x + k).loadUnaligned(as: SIMD2<Double>.self))
        x[k] = value[0]
        x[k + 1] = value[1]
        k += 2
    }
    if k < count { x[k] = exponential(SIMD2(x[k], 0))[0] }
}

/// `exp` of two lanes; see `exponentiate`.
@inline(__always)
func exponential(_ input: SIMD2<Double>) -> SIMD2<Double> {
    let log2e = 1.4426950408889634
    let ln2High = 0.693147180369123816490, ln2Low = 1.90821492927058770002e-10
    let shifter = 6755399441055744.0  // 1.5 · 2⁵², so adding it rounds to an integer in the low bits.
    let x = input.replacing(with: 709, where: input .> 709)
    let shifted = x * log2e + shifter
    let n = shifted - shifter
    let r = (x - n * ln2High) - n * ln2Low
    var p = SIMD2<Double>(repeating: 1.0 / 6227020800)  // 1/13!
    p = p * r + 1.0 / 479001600
    p = p * r + 1.0 / 39916800
    p = p * r + 1.0 / 3628800
    p = p * r + 1.0 / 362880
    p = p * r + 1.0 / 40320
    p = p * r + 1.0 / 5040
    p = p * r + 1.0 / 720
    p = p * r + 1.0 / 120
    p = p * r + 1.0 / 24
    p = p * r + 1.0 / 6
    p = p * r + 0.5
    p = p * r + 1
    p = p * r + 1
    // The low bits of `shifted` hold n in two's complement; n + 1023 becomes the exponent field.
    let bits = (unsafeBitCast(shifted, to: SIMD2<UInt64>.self) &+ 1023) &<< 52
    let scale = unsafeBitCast(bits, to: SIMD2<Double>.self)
    return (p * scale).replacing(with: 0, where: x .< -708)
}
