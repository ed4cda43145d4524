// Dense linear algebra for PB2's Gaussian processes (see CDense.h).
//
// The kernels are written once, on four-lane vectors (`v4d`), as always-inlined bodies; each
// public function compiles them twice, for the baseline instruction set (where a `v4d` is two
// 128-bit halves) and with `target("avx")` (one 256-bit register), and `wide` picks one at run
// time, so the build needs no CPU flags. Multiply and add stay separate operations (no
// contraction into fused multiply-add), which keeps both versions' results bit for bit equal.
#include "CDense.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#if defined(__x86_64__)
#include <cpuid.h>
#endif

#pragma STDC FP_CONTRACT OFF
#if defined(__clang__)
#pragma clang fp contract(off)
#endif

typedef double v4d __attribute__((vector_size(32)));

// The helpers that take and return `v4d` are always inlined, so no call passes one by value
// between functions of different instruction sets (what -Wpsabi warns about).
#if defined(__clang__)
#pragma clang diagnostic ignored "-Wpsabi"
#endif

#define BODY static inline __attribute__((always_inline))

BODY v4d load4(const double *p) {
    v4d v;
    memcpy(&v, p, sizeof v);
    return v;
}

BODY v4d splat(double x) { return (v4d){x, x, x, x}; }

BODY double lanes(v4d v) { return (v[0] + v[1]) + (v[2] + v[3]); }

BODY ptrdiff_t smaller(ptrdiff_t a, ptrdiff_t b) { return a < b ? a : b; }

BODY double dot_body(const double *a, const double *b, ptrdiff_t count, int wide) {
    (void)wide;  // two sums: they fit in 128-bit registers too
    v4d s0 = splat(0), s1 = splat(0);
    ptrdiff_t k = 0;
    for (; k + 8 <= count; k += 8) {
        s0 += load4(a + k) * load4(b + k);
        s1 += load4(a + k + 4) * load4(b + k + 4);
    }
    if (k + 4 <= count) {
        s0 += load4(a + k) * load4(b + k);
        k += 4;
    }
    double sum = lanes(s0 + s1);
    for (; k < count; k++) sum += a[k] * b[k];
    return sum;
}

// s[x · 4 + offset + y] = Σ_k r[x · stride + k] · c[y · stride + k] for x < rows, y < 2, k < count,
// with `rows` a constant (1 to 4) once inlined: a sum per (x, y) kept in a register.
BODY void row_dots(
    const double *r, const double *c, ptrdiff_t stride, ptrdiff_t count, double *s, int offset, const int rows) {
    v4d sums[4][2];
    for (int x = 0; x < rows; x++) sums[x][0] = sums[x][1] = splat(0);
    ptrdiff_t k = 0;
    for (; k + 4 <= count; k += 4) {
        v4d y0 = load4(c + k), y1 = load4(c + stride + k);
        for (int x = 0; x < rows; x++) {
            v4d value = load4(r + x * stride + k);
            sums[x][0] += value * y0;
            sums[x][1] += value * y1;
        }
    }
    for (int x = 0; x < rows; x++) {
        double t0 = lanes(sums[x][0]), t1 = lanes(sums[x][1]);
        for (ptrdiff_t j = k; j < count; j++) {
            t0 += r[x * stride + j] * c[j];
            t1 += r[x * stride + j] * c[stride + j];
        }
        s[x * 4 + offset] = t0;
        s[x * 4 + offset + 1] = t1;
    }
}

// A 4 × 2 block of row dot products (see `row_dots`): four rows at once with 256-bit registers
// (eight sums in sixteen registers), two and two with 128-bit ones, where eight four-lane sums
// would not fit; each sum is added in the same order either way.
BODY void row_dots42(
    const double *r, const double *c, ptrdiff_t stride, ptrdiff_t count, double *s, int offset, int wide) {
    if (wide) {
        row_dots(r, c, stride, count, s, offset, 4);
    } else {
        row_dots(r, c, stride, count, s, offset, 2);
        row_dots(r + 2 * stride, c, stride, count, s + 8, offset, 2);
    }
}

typedef long long v4l __attribute__((vector_size(32)));

// exp of four lanes: Cody–Waite reduction x = k ln 2 + r with |r| ≤ ½ ln 2, exp(r) by its
// Taylor series to degree 13, then 2ᵏ from the exponent bits (see pbt_exp).
BODY v4d exp4(v4d input) {
    const double log2e = 1.4426950408889634;
    const double ln2High = 0.693147180369123816490, ln2Low = 1.90821492927058770002e-10;
    const double shifter = 6755399441055744.0;  // 1.5 · 2⁵², so adding it rounds to an integer in the low bits.
    v4l above = (v4l)(input > splat(709));
    v4d x = (v4d)((above & (v4l)splat(709)) | (~above & (v4l)input));
    v4d shifted = x * splat(log2e) + splat(shifter);
    v4d n = shifted - splat(shifter);
    v4d r = (x - n * splat(ln2High)) - n * splat(ln2Low);
    static const double coefficients[] = {
        1.0 / 479001600, 1.0 / 39916800, 1.0 / 3628800, 1.0 / 362880, 1.0 / 40320, 1.0 / 5040,
        1.0 / 720, 1.0 / 120, 1.0 / 24, 1.0 / 6, 0.5, 1, 1,
    };
    v4d p = splat(1.0 / 6227020800);  // 1/13!
    for (int i = 0; i < 13; i++) p = p * r + splat(coefficients[i]);
    // The low bits of `shifted` hold n in two's complement; n + 1023 becomes the exponent field.
    v4l bits = ((v4l)shifted + 1023) << 52;
    v4d result = p * (v4d)bits;
    v4l below = (v4l)(x < splat(-708));
    return (v4d)(~below & (v4l)result);
}

BODY void exp_body(double *x, ptrdiff_t count, int wide) {
    (void)wide;
    ptrdiff_t k = 0;
    for (; k + 4 <= count; k += 4) {
        v4d value = exp4(load4(x + k));
        memcpy(x + k, &value, sizeof value);
    }
    if (k < count) {
        double tail[4] = {0, 0, 0, 0};
        memcpy(tail, x + k, (size_t)(count - k) * sizeof(double));
        v4d value = exp4(load4(tail));
        memcpy(x + k, &value, (size_t)(count - k) * sizeof(double));
    }
}

// The four lane sums of `a`, `b`, `c` and `d` as one vector, each `(v[0] + v[1]) + (v[2] + v[3])`
// as `lanes` adds them (so the same bits), with two vector additions instead of twelve scalar ones.
BODY v4d lanes4(v4d a, v4d b, v4d c, v4d d) {
    // ab = (a0 + a1, b0 + b1, a2 + a3, b2 + b3), and so cd.
    v4d ab = __builtin_shufflevector(a, b, 0, 4, 2, 6) + __builtin_shufflevector(a, b, 1, 5, 3, 7);
    v4d cd = __builtin_shufflevector(c, d, 0, 4, 2, 6) + __builtin_shufflevector(c, d, 1, 5, 3, 7);
    return __builtin_shufflevector(ab, cd, 0, 1, 4, 5) + __builtin_shufflevector(ab, cd, 2, 3, 6, 7);
}

// sums[x][y] = the four lane sums of `row_dots` (lane m: Σ over k ≡ m mod 4, in order) of
// r[x · stride + k] · c[y · stride + k], k < count (a multiple of 4), for a 4 × 4 block: all
// sixteen at once with AVX-512's 32 registers (each row and column loaded once per k), two
// columns at a time over four rows with AVX's 16, over two rows with 128-bit registers.
BODY void tile_dots(const double *r, const double *c, ptrdiff_t stride, ptrdiff_t count, v4d sums[4][4], int wide) {
    if (wide >= 2) {
        v4d s[4][4];
        for (int x = 0; x < 4; x++) {
            for (int y = 0; y < 4; y++) s[x][y] = splat(0);
        }
        for (ptrdiff_t k = 0; k < count; k += 4) {
            v4d column[4];
            for (int y = 0; y < 4; y++) column[y] = load4(c + y * stride + k);
            for (int x = 0; x < 4; x++) {
                v4d value = load4(r + x * stride + k);
                for (int y = 0; y < 4; y++) s[x][y] += value * column[y];
            }
        }
        for (int x = 0; x < 4; x++) {
            for (int y = 0; y < 4; y++) sums[x][y] = s[x][y];
        }
        return;
    }
    for (int y0 = 0; y0 < 4; y0 += 2) {
        for (int x0 = 0; x0 < 4; x0 += wide ? 4 : 2) {
            const int rows = wide ? 4 : 2;
            v4d s[4][2];
            for (int x = 0; x < rows; x++) s[x][0] = s[x][1] = splat(0);
            const double *pr = r + x0 * stride, *pc = c + y0 * stride;
            for (ptrdiff_t k = 0; k < count; k += 4) {
                v4d c0 = load4(pc + k), c1 = load4(pc + stride + k);
                for (int x = 0; x < rows; x++) {
                    v4d value = load4(pr + x * stride + k);
                    s[x][0] += value * c0;
                    s[x][1] += value * c1;
                }
            }
            for (int x = 0; x < rows; x++) sums[x0 + x][y0] = s[x][0], sums[x0 + x][y0 + 1] = s[x][1];
        }
    }
}

// L[i0..<i0+4][j0..<j0+4] (clipped to the matrix and the lower triangle), given every entry of
// L left of column j0 in those rows and every row above i0, and `reciprocal[j] = 1 / L[j][j]`
// for the columns finished so far (a diagonal tile adds its own). A full tile left of the
// diagonal is finished column by column with its four rows in the lanes of one vector: each
// lane does what the scalar loop does for its entry, so the bits are the same.
BODY int finish_tile(
    const double *a, double *l, ptrdiff_t n, ptrdiff_t i0, ptrdiff_t j0, double jitter, double *reciprocal,
    int wide) {
    double s[16];
    ptrdiff_t rows = smaller(4, n - i0), columns = smaller(4, n - j0);
    if (rows == 4 && columns == 4 && j0 + 4 <= i0) {
        v4d sums[4][4], column[4];
        tile_dots(l + i0 * n, l + j0 * n, n, j0, sums, wide);
        for (int c = 0; c < 4; c++) {
            ptrdiff_t j = j0 + c;
            const double *above = a + i0 * n + j;
            v4d sum = (v4d){above[0], above[n], above[2 * n], above[3 * n]} -
                      lanes4(sums[0][c], sums[1][c], sums[2][c], sums[3][c]);
            for (int k = 0; k < c; k++) sum -= column[k] * splat(l[j * n + j0 + k]);
            column[c] = sum * splat(reciprocal[j]);
        }
        for (int x = 0; x < 4; x++) {
            for (int c = 0; c < 4; c++) l[(i0 + x) * n + j0 + c] = column[c][x];
        }
        return 1;
    }
    if (rows == 4 && columns == 4) {
        row_dots42(l + i0 * n, l + j0 * n, n, j0, s, 0, wide);
        row_dots42(l + i0 * n, l + (j0 + 2) * n, n, j0, s, 2, wide);
    } else {
        for (ptrdiff_t x = 0; x < rows; x++) {
            for (ptrdiff_t y = 0; y < columns; y++) s[x * 4 + y] = dot_body(l + (i0 + x) * n, l + (j0 + y) * n, j0, wide);
        }
    }
    for (ptrdiff_t c = 0; c < columns; c++) {
        ptrdiff_t j = j0 + c;
        for (ptrdiff_t x = 0; x < rows; x++) {
            ptrdiff_t i = i0 + x;
            if (j > i) continue;
            double sum = a[i * n + j] - s[x * 4 + c];
            for (ptrdiff_t k = j0; k < j; k++) sum -= l[i * n + k] * l[j * n + k];
            if (i == j) {
                sum += jitter;
                if (!(sum > 0) || !isfinite(sum)) return 0;
                l[i * n + i] = sqrt(sum);
                reciprocal[i] = 1 / l[i * n + i];
            } else {
                l[i * n + j] = sum * reciprocal[j];
            }
        }
    }
    return 1;
}

// Blocked left-looking Cholesky–Crout: rows in bands of 32 (the rows a band reads stay in
// cache while its 4 × 4 tiles use them). `a` is read on and below the diagonal, each entry
// just before `l`'s is written, so the two may be the same buffer.
BODY int cholesky_body(const double *a, double jitter, ptrdiff_t n, double *l, double *reciprocal, int wide) {
    const ptrdiff_t band = 32;
    for (ptrdiff_t top = 0; top < n; top += band) {
        ptrdiff_t end = smaller(n, top + band);
        for (ptrdiff_t j0 = 0; j0 < top; j0 += 4) {
            for (ptrdiff_t i0 = top; i0 < end; i0 += 4) finish_tile(a, l, n, i0, j0, jitter, reciprocal, wide);
        }
        for (ptrdiff_t i0 = top; i0 < end; i0 += 4) {
            for (ptrdiff_t j0 = top; j0 <= i0; j0 += 4) {
                if (!finish_tile(a, l, n, i0, j0, jitter, reciprocal, wide)) return 0;
            }
        }
    }
    return 1;
}

// M = L⁻¹ is kept in column panels of four: panel b holds M[k][4b ..< 4b + 4] for k ≥ 4b, four
// to a row, zero above the diagonal (and right of column n − 1), at `panel_offset(n, b)`.
BODY ptrdiff_t panel_offset(ptrdiff_t n, ptrdiff_t b) { return 4 * b * n - 8 * b * (b - 1); }

// s[x · 8 + y] = Σ_t A[x][t] · B[t][y] for x < rows, y < 8 (a constant once inlined), t < count,
// with A[x][t] = a[x · aStep + t · aStride], B[t][y] = left[4t + y] for y < 4 and right[4(t − 4) + y − 4]
// for y ≥ 4 from t = `late` on (4 or 0; the right columns' sums start there). Even and odd t
// are summed separately, each in order of t, and added at the end (the order of the row-major
// version this replaced), in two passes so eight columns fit in registers.
BODY void outer_panels(
    const double *a, ptrdiff_t aStep, ptrdiff_t aStride, const double *left, const double *right, ptrdiff_t late,
    ptrdiff_t count, double *s, const int rows) {
    v4d parity[2][4][2];
    for (int p = 0; p < 2; p++) {
        v4d sum[4][2];
        for (int x = 0; x < rows; x++) sum[x][0] = sum[x][1] = splat(0);
        ptrdiff_t t = p;
        for (; t < late && t < count; t += 2) {
            v4d b0 = load4(left + 4 * t);
            for (int x = 0; x < rows; x++) sum[x][0] += splat(a[x * aStep + t * aStride]) * b0;
        }
        // Two terms of this parity a round (fewer loop instructions per multiply), then the last.
        for (; t + 2 < count; t += 4) {
            for (ptrdiff_t u = t; u <= t + 2; u += 2) {
                v4d b0 = load4(left + 4 * u), b1 = load4(right + 4 * (u - late));
                for (int x = 0; x < rows; x++) {
                    v4d value = splat(a[x * aStep + u * aStride]);
                    sum[x][0] += value * b0;
                    sum[x][1] += value * b1;
                }
            }
        }
        for (; t < count; t += 2) {
            v4d b0 = load4(left + 4 * t), b1 = load4(right + 4 * (t - late));
            for (int x = 0; x < rows; x++) {
                v4d value = splat(a[x * aStep + t * aStride]);
                sum[x][0] += value * b0;
                sum[x][1] += value * b1;
            }
        }
        for (int x = 0; x < rows; x++) parity[p][x][0] = sum[x][0], parity[p][x][1] = sum[x][1];
    }
    for (int x = 0; x < rows; x++) {
        for (int h = 0; h < 2; h++) {
            v4d total = parity[0][x][h] + parity[1][x][h];
            memcpy(s + 8 * x + 4 * h, &total, sizeof total);
        }
    }
}

// `outer_panels` on four rows: at once with 256-bit registers, two and two with 128-bit ones.
BODY void outer_panels4(
    const double *a, ptrdiff_t aStep, ptrdiff_t aStride, const double *left, const double *right, ptrdiff_t late,
    ptrdiff_t count, double *s, int wide) {
    if (wide) {
        outer_panels(a, aStep, aStride, left, right, late, count, s, 4);
    } else {
        outer_panels(a, aStep, aStride, left, right, late, count, s, 2);
        outer_panels(a + 2 * aStep, aStep, aStride, left, right, late, count, s + 16, 2);
    }
}

// M = L⁻¹ by blocked forward substitution into column panels in `m` (see `panel_offset`),
// then the lower triangle of MᵀM into `r`; `reciprocal` (n entries) holds 1 / Lᵢᵢ. Every sum
// is added in the order of the row-major version this replaced (tiles of four columns, even
// and odd terms apart), so the bits are the same; the panels make both products' operands
// contiguous, and eight columns at a time halve the loads per multiply.
BODY void inverse_body(
    const double *l, ptrdiff_t stride, ptrdiff_t n, double *m, double *r, double *reciprocal, int wide) {
    double tile[32];
    for (ptrdiff_t i = 0; i < n; i++) reciprocal[i] = 1 / l[i * stride + i];
#define M_AT(k, j) m[panel_offset(n, (j) / 4) + ((k) - (j) / 4 * 4) * 4 + (j) % 4]
    for (ptrdiff_t i0 = 0; i0 < n; i0 += 4) {
        ptrdiff_t rows = smaller(4, n - i0);
        double *own = m + panel_offset(n, i0 / 4);
        // Column blocks left of the diagonal block: M[I][J] = −(L[I][<i] M[<i][J]) / Lᵢᵢ.
        for (ptrdiff_t j0 = 0; j0 + 4 <= i0; j0 += 8) {
            ptrdiff_t columns = j0 + 8 <= i0 ? 8 : 4;
            const double *left = m + panel_offset(n, j0 / 4);
            if (rows == 4) {
                const double *right = columns == 8 ? m + panel_offset(n, j0 / 4 + 1) : left;
                outer_panels4(
                    l + i0 * stride + j0, stride, 1, left, right, columns == 8 ? 4 : i0 - j0, i0 - j0, tile, wide);
            } else {
                for (ptrdiff_t x = 0; x < rows; x++) {
                    for (ptrdiff_t y = 0; y < columns; y++) {
                        double sum = 0;
                        for (ptrdiff_t k = j0 + y / 4 * 4; k < i0; k++) sum += l[(i0 + x) * stride + k] * M_AT(k, j0 + y);
                        tile[x * 8 + y] = sum;
                    }
                }
            }
            // Row by row, each panel's four columns in the lanes of one vector (each lane does
            // the scalar substitution of its entry): M[i][J] = −(tile + Σ_{i0 ≤ k < i} L[i][k] M[k][J]) / Lᵢᵢ.
            for (ptrdiff_t h = 0; h < columns; h += 4) {
                // Panel rows k ≥ i0 of these four columns: M[k][j0 + h ..< j0 + h + 4] at 4(k − i0).
                double *block = m + panel_offset(n, (j0 + h) / 4) + (i0 - j0 - h) * 4;
                for (ptrdiff_t x = 0; x < rows; x++) {
                    ptrdiff_t i = i0 + x;
                    v4d sum = load4(tile + x * 8 + h);
                    for (ptrdiff_t k = i0; k < i; k++) sum += splat(l[i * stride + k]) * load4(block + 4 * (k - i0));
                    v4d value = -sum * splat(reciprocal[i]);
                    memcpy(block + 4 * x, &value, sizeof value);
                }
            }
        }
        // The diagonal block by scalar substitution, zero above the diagonal.
        for (ptrdiff_t x = 0; x < rows; x++) {
            ptrdiff_t i = i0 + x;
            for (ptrdiff_t y = 0; y < 4; y++) {
                ptrdiff_t j = i0 + y;
                double value = 0;
                if (j <= i) {
                    double sum = i == j ? 1.0 : 0.0;
                    for (ptrdiff_t k = j; k < i; k++) sum -= l[i * stride + k] * own[(k - i0) * 4 + y];
                    value = sum * reciprocal[i];
                }
                own[x * 4 + y] = value;
            }
        }
    }
    // (MᵀM)ᵢⱼ = Σ_{k ≥ i} M[k][i] M[k][j] for j ≤ i.
    for (ptrdiff_t i0 = 0; i0 < n; i0 += 4) {
        const double *own = m + panel_offset(n, i0 / 4);
        if (i0 + 4 <= n) {
            for (ptrdiff_t j0 = 0; j0 <= i0; j0 += 8) {
                ptrdiff_t columns = j0 + 4 <= i0 ? 8 : 4;
                const double *left = m + panel_offset(n, j0 / 4) + (i0 - j0) * 4;
                const double *right = columns == 8 ? m + panel_offset(n, j0 / 4 + 1) + (i0 - j0 - 4) * 4 : left;
                outer_panels4(own, 1, 4, left, right, columns == 8 ? 0 : n - i0, n - i0, tile, wide);
                for (ptrdiff_t x = 0; x < 4; x++) {
                    for (ptrdiff_t y = 0; y < columns; y++) {
                        if (j0 + y <= i0 + x) r[(i0 + x) * n + j0 + y] = tile[x * 8 + y];
                    }
                }
            }
        } else {
            for (ptrdiff_t j0 = 0; j0 <= i0; j0 += 4) {
                for (ptrdiff_t i = i0; i < n; i++) {
                    for (ptrdiff_t j = j0; j < smaller(j0 + 4, i + 1); j++) {
                        double sum = 0;
                        for (ptrdiff_t k = i; k < n; k++) sum += M_AT(k, i) * M_AT(k, j);
                        r[i * n + j] = sum;
                    }
                }
            }
        }
    }
#undef M_AT
}

BODY void forward_body(const double *l, ptrdiff_t stride, ptrdiff_t n, double *x, ptrdiff_t start, int wide) {
    for (ptrdiff_t i = start; i < n; i++) {
        x[i] = (x[i] - dot_body(l + i * stride + start, x + start, i - start, wide)) / l[i * stride + i];
    }
}

// `group` vectors at once (a constant once inlined) from the earliest start: row i of L is
// loaded once for all their dot products. A vector's entries before its own start are zero and
// stay so.
BODY void forward_group(
    const double *l, ptrdiff_t stride, ptrdiff_t n, double *v, ptrdiff_t rows, ptrdiff_t start, const int group) {
    for (ptrdiff_t i = start; i < n; i++) {
        const double *row = l + i * stride;
        v4d s[8];
        for (int c = 0; c < group; c++) s[c] = splat(0);
        ptrdiff_t k = start;
        for (; k + 4 <= i; k += 4) {
            v4d y = load4(row + k);
            for (int c = 0; c < group; c++) s[c] += y * load4(v + c * rows + k);
        }
        for (int c = 0; c < group; c++) {
            double *x = v + c * rows;
            double sum = lanes(s[c]);
            for (ptrdiff_t j = k; j < i; j++) sum += row[j] * x[j];
            x[i] = (x[i] - sum) / row[i];
        }
    }
}

// Eight vectors at a time (four and four with 128-bit registers), each from the earliest start
// of its eight; the rest one by one.
BODY void forward_columns_body(
    const double *l, ptrdiff_t stride, ptrdiff_t n, double *columns, ptrdiff_t rows, ptrdiff_t count,
    const ptrdiff_t *starts, int wide) {
    ptrdiff_t c = 0;
    for (; c + 8 <= count; c += 8) {
        ptrdiff_t start = starts[c];
        for (int e = 1; e < 8; e++) start = smaller(start, starts[c + e]);
        if (wide) {
            forward_group(l, stride, n, columns + c * rows, rows, start, 8);
        } else {
            forward_group(l, stride, n, columns + c * rows, rows, start, 4);
            forward_group(l, stride, n, columns + (c + 4) * rows, rows, start, 4);
        }
    }
    for (; c < count; c++) forward_body(l, stride, n, columns + c * rows, starts[c], wide);
}

#if defined(__x86_64__)
#define WIDE __attribute__((target("avx")))
#define WIDEST __attribute__((target("avx,avx2,avx512f,avx512vl")))
#define DISPATCH(wide, call)                                                        \
    (smaller(wide, pbt_dense_wide_available()) >= 2   ? widest_##call \
        : smaller(wide, pbt_dense_wide_available()) == 1 ? wide_##call \
                                                         : narrow_##call)
#else
#define DISPATCH(wide, call) (narrow_##call)
#endif

// Each public function as three functions, one per instruction set, around the same body; the
// body's last argument says which (`RESULT` is `return` for a function with a value, empty for
// a void one). Bodies that keep many sums in registers split them into halves for 128-bit ones.
#if defined(__x86_64__)
#define BOTH(type, RESULT, name, parameters, ...)                                   \
    static type narrow_##name parameters { RESULT name##_body(__VA_ARGS__, 0); }    \
    WIDE static type wide_##name parameters { RESULT name##_body(__VA_ARGS__, 1); } \
    WIDEST static type widest_##name parameters { RESULT name##_body(__VA_ARGS__, 2); }
#else
#define BOTH(type, RESULT, name, parameters, ...) \
    static type narrow_##name parameters { RESULT name##_body(__VA_ARGS__, 0); }
#endif

BOTH(void, , exp, (double *x, ptrdiff_t count), x, count)
BOTH(double, return, dot, (const double *a, const double *b, ptrdiff_t count), a, b, count)
BOTH(int, return, cholesky, (const double *a, double jitter, ptrdiff_t n, double *l, double *reciprocal),
     a, jitter, n, l, reciprocal)
BOTH(void, , inverse, (const double *l, ptrdiff_t stride, ptrdiff_t n, double *m, double *r, double *reciprocal),
     l, stride, n, m, r, reciprocal)
BOTH(void, , forward, (const double *l, ptrdiff_t stride, ptrdiff_t n, double *x, ptrdiff_t start),
     l, stride, n, x, start)
BOTH(void, , forward_columns,
     (const double *l, ptrdiff_t stride, ptrdiff_t n, double *columns, ptrdiff_t rows, ptrdiff_t count,
      const ptrdiff_t *starts),
     l, stride, n, columns, rows, count, starts)

int pbt_dense_wide_available(void) {
#if defined(__x86_64__)
    static int known = -1;
    int value = __atomic_load_n(&known, __ATOMIC_RELAXED);
    if (value >= 0) return value;
    unsigned int eax, ebx, ecx, edx;
    value = 0;
    // AVX, and XSAVE enabled by the OS with the SSE and AVX register state (XCR0 bits 1 and 2);
    // then AVX-512 F and VL with the opmask and upper register state (XCR0 bits 5 to 7).
    if (__get_cpuid(1, &eax, &ebx, &ecx, &edx) && ((ecx >> 28) & 1) && ((ecx >> 27) & 1)) {
        unsigned int low, high;
        __asm__("xgetbv" : "=a"(low), "=d"(high) : "c"(0));
        value = (low & 6) == 6;
        if (value && (low & 0xE0) == 0xE0 && __get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx) &&
            ((ebx >> 16) & 1) && ((ebx >> 31) & 1)) {
            value = 2;
        }
    }
    __atomic_store_n(&known, value, __ATOMIC_RELAXED);
    return value;
#else
    return 0;
#endif
}

void pbt_exp(double *x, ptrdiff_t count, int wide) { DISPATCH(wide, exp)(x, count); }

double pbt_dot(const double *a, const double *b, ptrdiff_t count, int wide) {
    return DISPATCH(wide, dot)(a, b, count);
}

int pbt_cholesky(const double *a, double jitter, ptrdiff_t n, double *l, int wide) {
    double *reciprocal = malloc((size_t)(n > 0 ? n : 1) * sizeof(double));
    if (!reciprocal) abort();
    int factorised = DISPATCH(wide, cholesky)(a, jitter, n, l, reciprocal);
    free(reciprocal);
    return factorised;
}

void pbt_cholesky_inverse(
    const double *l, ptrdiff_t stride, ptrdiff_t n, double *scratch, double *r, int wide) {
    double *reciprocal = malloc((size_t)(n > 0 ? n : 1) * sizeof(double));
    if (!reciprocal) abort();
    // The panels take 4bn − 8b(b − 1) entries, b = ⌈n/4⌉: at most n² from n = 4 on.
    double small[12];
    DISPATCH(wide, inverse)(l, stride, n, n < 4 ? small : scratch, r, reciprocal);
    free(reciprocal);
}

void pbt_forward(const double *l, ptrdiff_t stride, ptrdiff_t n, double *x, ptrdiff_t start, int wide) {
    DISPATCH(wide, forward)(l, stride, n, x, start);
}

void pbt_forward_columns(
    const double *l, ptrdiff_t stride, ptrdiff_t n, double *columns, ptrdiff_t rows, ptrdiff_t count,
    const ptrdiff_t *starts, int wide) {
    DISPATCH(wide, forward_columns)(l, stride, n, columns, rows, count, starts);
}
