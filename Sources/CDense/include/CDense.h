#ifndef CDENSE_H
#define CDENSE_H

#include <stddef.h>

// Dense linear algebra for PB2's Gaussian processes, over row-major buffers of doubles.
//
// Every function takes `wide`, the widest instruction set it may use: 0 the baseline, 1 AVX's
// 256-bit registers, 2 AVX-512 (still four-lane vectors, with its 32 registers for larger
// blocks of sums), each only when the CPU and operating system have it (see
// `pbt_dense_wide_available`; a lower level runs otherwise). All compile the same code on
// four-lane vectors, without fused multiply-add, and add every sum in the same order, so the
// results are the same bits at every level (and on every architecture).

/// The widest level this CPU and operating system run (x86-64): 2 with AVX-512 F and VL,
/// 1 with AVX, else 0; 0 elsewhere.
int pbt_dense_wide_available(void);

/// `x[k] ← exp(x[k])` for k < count: Cody–Waite reduction `x = k ln 2 + r` with
/// `|r| ≤ ½ ln 2`, `exp(r)` by its Taylor series to degree 13 (truncation below 5 · 10⁻¹⁸
/// relative), then `2ᵏ` from the exponent bits. Within 2 · 10⁻¹⁶ relative of the correctly
/// rounded value on `[−708, 709]`; below −708 the result is 0 (the true value is under
/// 4 · 10⁻³⁰⁸), above 709 it is `exp(709)`. NaN stays NaN.
void pbt_exp(double *x, ptrdiff_t count, int wide);

/// `Σ a[k] b[k]` for k < count.
double pbt_dot(const double *a, const double *b, ptrdiff_t count, int wide);

/// The Cholesky factor `L` (lower, `A = L Lᵀ`) of the `n × n` matrix `a` with `jitter` added
/// to its diagonal, into `l` (which may be `a`). Reads `a` only on and below the diagonal;
/// writes `l` only there. Returns 0 when a pivot is not positive and finite.
int pbt_cholesky(const double *a, double jitter, ptrdiff_t n, double *l, int wide);

/// The lower triangle (with the diagonal) of `(L Lᵀ)⁻¹` into `r` (`n × n`, stride `n`; the
/// upper triangle is not written), for `L` with `stride` between rows. `scratch` (`n × n`) is
/// workspace: what it holds on entry does not matter, and it is overwritten (with `L⁻¹` in
/// column panels of four).
void pbt_cholesky_inverse(
    const double *l, ptrdiff_t stride, ptrdiff_t n, double *scratch, double *r, int wide);

/// Overwrites `x[0..<n]` with `L⁻¹ x`, given `x[k] = 0` for k < start (so is the result there).
void pbt_forward(const double *l, ptrdiff_t stride, ptrdiff_t n, double *x, ptrdiff_t start, int wide);

/// `pbt_forward` on `count` vectors at once: vector c is `columns[c · rows ..< c · rows + n]`
/// and is zero before `starts[c]`. Reads `L` once for every eight vectors.
void pbt_forward_columns(
    const double *l, ptrdiff_t stride, ptrdiff_t n, double *columns, ptrdiff_t rows, ptrdiff_t count,
    const ptrdiff_t *starts, int wide);

#endif
