import CDense

/// `x[k] ← exp(x[k])` for k < count, four lanes at a time (`pbt_exp`: within 2 · 10⁻¹⁶
/// relative of the correctly rounded value on `[−708, 709]`, 0 below, `exp(709)` above, NaN
/// stays NaN): PB2's kernel matrices need up to n²/2 ≈ 500,000 exponentials each, and the C
/// library's scalar `exp` cost more than the factorisation of the fit's matrices.
func exponentiate(_ x: UnsafeMutablePointer<Double>, count: Int) {
    pbt_exp(x, count, DenseCholesky.wide)
}
