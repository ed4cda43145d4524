#!/usr/bin/env python3
"""Generate Tests/PBTTests/WelchTTestCases.swift: reference values for Welch's t-test.

Every case records two references:

* scipy's answer, ``scipy.stats.ttest_ind(a, b, equal_var=False)`` (two-sided) and
  ``2 * scipy.stats.t.sf(|t|, df)``: the reference the Swift code must agree with;
* the exact answer for the same double-precision inputs: means and variances in exact
  rational arithmetic (``fractions.Fraction``), then t, the Welch-Satterthwaite degrees of
  freedom and the p-value in 60-digit ``mpmath``. This shows how far scipy itself is from
  the truth, so a disagreement can be blamed on the right side.

Run from the package root (scipy 1.17, numpy 2.x, mpmath):

    python3 scripts/welch_reference.py            # rewrite the Swift file, print a summary
    python3 scripts/welch_reference.py --check    # only print the summary

Cases where both samples are constant are not generated: scipy answers NaN when the means
are equal, and the Swift tests check our documented policy for them explicitly.
"""

from __future__ import annotations

import math
import sys
from fractions import Fraction
from pathlib import Path

import mpmath
import numpy as np
import scipy
from scipy import stats

from swift_layout import wrap_list

SEED = 20_250_611
# scipy is used as the reference for a case only when it is itself this close to the exact
# answer, so the Swift tests' 1e-9 tolerance measures the Swift code, not scipy's rounding.
SCIPY_ACCURATE = 5e-10
OUTPUT = Path(__file__).resolve().parent.parent / "Tests" / "PBTTests" / "WelchTTestCases.swift"
mpmath.mp.dps = 60


# --- exact references ------------------------------------------------------------------


def exact_two_sided_p(t: mpmath.mpf, df: mpmath.mpf) -> mpmath.mpf:
    """P(|T| >= |t|) = I_x(df/2, 1/2) with x = df / (df + t^2), in high precision."""
    if t == 0:
        return mpmath.mpf(1)
    digits = mpmath.mp.dps
    while True:
        with mpmath.workdps(digits):
            t2 = t * t
            x = df / (df + t2)
            y = t2 / (df + t2)
            if x < mpmath.mpf("0.5"):
                p = mpmath.betainc(df / 2, mpmath.mpf("0.5"), 0, x, regularized=True)
            else:
                # Near x = 1 mpmath converges on the complement; it may cancel, so retry with
                # more digits until the answer keeps 40 significant ones.
                p = 1 - mpmath.betainc(mpmath.mpf("0.5"), df / 2, 0, y, regularized=True)
        lost = -int(mpmath.floor(mpmath.log10(p))) if p > 0 else digits
        if p > 0 and lost + 40 <= digits:
            return +p
        digits = lost + 60


def exact_welch(a: list[float], b: list[float]) -> tuple[float, float, float]:
    """Welch's t, df and two-sided p for exactly these doubles, rounded once to double."""
    fa = [Fraction(x) for x in a]
    fb = [Fraction(x) for x in b]
    na, nb = len(fa), len(fb)
    ma, mb = sum(fa) / na, sum(fb) / nb
    va = sum((x - ma) ** 2 for x in fa) / (na - 1)
    vb = sum((x - mb) ** 2 for x in fb) / (nb - 1)
    vna, vnb = va / na, vb / nb
    df_exact = (vna + vnb) ** 2 / (vna**2 / (na - 1) + vnb**2 / (nb - 1))
    mp = lambda q: mpmath.mpf(q.numerator) / q.denominator  # noqa: E731
    t = mp(ma - mb) / mpmath.sqrt(mp(vna + vnb))
    df = mp(df_exact)
    return float(t), float(df), float(exact_two_sided_p(t, df))


# --- cases -----------------------------------------------------------------------------


def shifted_for_t(a: np.ndarray, b: np.ndarray, target_t: float) -> np.ndarray:
    """Shift `b` so that Welch's t of (a, b) is about `target_t` (sets tiny or near-1 p)."""
    se = math.sqrt(a.var(ddof=1) / a.size + b.var(ddof=1) / b.size)
    return b + (a.mean() - b.mean()) - target_t * se


def shifted_for_p(a: np.ndarray, b: np.ndarray, target_p: float) -> np.ndarray:
    """Shift `b` so that the two-sided p of (a, b) is about `target_p` (a shift keeps df)."""
    vna, vnb = a.var(ddof=1) / a.size, b.var(ddof=1) / b.size
    df = (vna + vnb) ** 2 / (vna**2 / (a.size - 1) + vnb**2 / (b.size - 1))
    return shifted_for_t(a, b, float(stats.t.isf(target_p / 2, df)))


def welch_cases(rng: np.random.Generator) -> list[tuple[str, np.ndarray, np.ndarray]]:
    normal = rng.normal
    cases: list[tuple[str, np.ndarray, np.ndarray]] = []

    def add(name: str, a, b) -> None:
        cases.append((name, np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)))

    # Small samples.
    add("n=2 vs n=2", normal(0, 1, 2), normal(1, 1, 2))
    add("n=2 vs n=2, wide", normal(10, 5, 2), normal(-3, 0.5, 2))
    add("n=2 vs n=10", normal(0, 1, 2), normal(0.5, 1, 10))
    add("n=10 vs n=2", normal(3, 2, 10), normal(0, 0.1, 2))
    add("n=3 vs n=3", normal(0, 1, 3), normal(2, 1, 3))
    add("n=2 vs n=3, far apart", normal(0, 1, 2), normal(100, 1, 3))
    add("n=4 vs n=5", normal(-1, 2, 4), normal(1, 3, 5))
    # Moderate samples.
    add("n=20 vs n=25", normal(0, 1, 20), normal(0.4, 1.2, 25))
    add("n=30 vs n=30", normal(5, 2, 30), normal(5.5, 2, 30))
    add("n=50 vs n=40", normal(-2, 1, 50), normal(-2.3, 0.7, 40))
    add("n=15 vs n=60", normal(0, 3, 15), normal(1, 1, 60))
    add("n=100 vs n=80", normal(1, 1, 100), normal(1.1, 1, 80))
    add("n=250 vs n=200", normal(0, 1, 250), normal(0.05, 1.5, 200))
    # Very different variances.
    add("sd 0.01 vs sd 100", normal(0, 0.01, 12), normal(5, 100, 9))
    add("sd 1e3 vs sd 1e-3", normal(1, 1e3, 7), normal(0, 1e-3, 30))
    add("sd 1e-6 vs sd 1, n=3 vs 40", normal(0, 1e-6, 3), normal(0.2, 1, 40))
    # Large and small magnitudes.
    add("~1e8, sd 1e3", normal(1e8, 1e3, 20), normal(1e8 + 700, 1e3, 25))
    add("~1e8, sd 300, n=8", normal(1e8, 300, 8), normal(1e8 - 300, 200, 11))
    add("~-1e8, sd 1e3", normal(-1e8, 1e3, 16), normal(-1e8 + 400, 2e3, 16))
    # Relative spread 1e-8: numpy's own mean is off by ~1e-8 relative to the difference of
    # means, so scipy is not a reference here, only the exact values are.
    add("~1e8, sd 1 (scipy inexact)", normal(1e8, 1, 12), normal(1e8 + 1.5, 1, 12))
    add("~1e-8, sd 1e-10", normal(1e-8, 1e-10, 18), normal(1.0001e-8, 1e-10, 22))
    add("~3e-8 vs 1e-8", normal(3e-8, 1e-9, 10), normal(1e-8, 5e-9, 12))
    # (Magnitudes near 1e±150 overflow scipy's df formula; the Swift tests cover them by
    # scaling these cases by powers of two instead.)
    # Tiny p-values: relative accuracy matters in the tail too.
    a, b = normal(0, 1, 25), normal(0, 1, 25)
    add("p ~ 1e-30", a, shifted_for_p(a, b, 1e-30))
    a, b = normal(0, 1, 40), normal(0, 2, 30)
    add("p ~ 1e-60", a, shifted_for_p(a, b, 1e-60))
    a, b = normal(0, 1, 60), normal(0, 1, 60)
    add("p ~ 1e-150", a, shifted_for_p(a, b, 1e-150))
    a, b = normal(0, 1, 120), normal(0, 3, 100)
    add("p ~ 1e-280", a, shifted_for_p(a, b, 1e-280))
    a, b = normal(0, 1, 6), normal(0, 1, 6)
    add("p ~ 1e-12, n=6", a, shifted_for_p(a, b, 1e-12))
    a, b = normal(0, 1, 2), normal(0, 1, 2)
    add("n=2 vs n=2, huge t", a, shifted_for_t(a, b, 3e4))
    # p-values near 1.
    a, b = normal(0, 1, 30), normal(0, 2, 35)
    add("p near 1, t ~ 1e-4", a, shifted_for_t(a, b, 1e-4))
    a, b = normal(0, 1, 8), normal(0, 1, 5)
    add("p near 1, t ~ -1e-7", a, shifted_for_t(a, b, -1e-7))
    # Identical means (exactly representable, so t = 0 whatever the summation order).
    add("identical means", [1, 2, 3, 4, 5], [0, 3, 3, 6, 3])
    add("identical means, unequal spread", [-3, -1, 1, 3], [-100, 0, 100])
    # One sample constant.
    add("a constant", [5.0] * 6, normal(6, 1, 9))
    add("b constant, n=2", normal(-1, 0.3, 7), [2.5, 2.5])
    # Shapes.
    add("integers with ties", rng.integers(0, 5, 30), rng.integers(1, 6, 27))
    add("heavy tails (Cauchy)", rng.standard_cauchy(25), rng.standard_cauchy(25) + 3)
    add("skewed (lognormal)", rng.lognormal(0, 1.5, 35), rng.lognormal(0.5, 1, 20))
    add("mixed signs around 0", normal(0, 1e-3, 11), normal(-2e-4, 1e-3, 14))
    return cases


def student_t_cases() -> list[tuple[float, float]]:
    """(t, df) points for StudentT.twoSidedPValue: both tails, tiny and fractional df."""
    points = [
        (0.0, 5.0), (1e-8, 3.0), (-0.5, 1.0), (0.5, 0.5), (1.0, 1.0), (1.0, 2.0),
        (1.5, 2.5), (1.7, 30.0), (-1.75, 30.0), (2.0, 7.3), (2.5, 1000.0), (3.0, 4.0),
        (10.0, 10.0), (40.0, 5.0), (-40.0, 60.0), (1e3, 1.0), (1e10, 1.0), (1e5, 3.0),
        (1e100, 1.0), (1e100, 2.0), (0.3, 0.05), (100.0, 0.05), (5.0, 1e6),
        (-1.0, 1e6), (8.0, 1e4), (1e-3, 2e5), (12.0, 250.5), (4.0, 1.5),
        # Huge ν: x = ν / (ν + t²) rounds to 1, which the textbook continued fraction cannot
        # afford; and ν large enough that only the normal limit remains.
        (1.73, 1e9), (2.0, 1e12), (10.0, 1e9), (3.0, 1e30), (-30.0, 1e30),
    ]
    return points


# --- output ----------------------------------------------------------------------------


def swift_double(x: float) -> str:
    """A Swift literal that parses back to exactly `x` (repr is the shortest round trip)."""
    if math.isinf(x):
        return ".infinity" if x > 0 else "-.infinity"
    if math.isnan(x):
        return ".nan"
    return repr(float(x))


def swift_array(xs: np.ndarray) -> str:
    items = [swift_double(float(x)) for x in xs]
    lines, line = [], ""
    for item in items:
        piece = item + ", "
        if len(line) + len(piece) > 84:
            lines.append(line.rstrip())
            line = ""
        line += piece
    lines.append(line.rstrip().rstrip(","))
    body = "\n".join("                " + entry for entry in lines)
    return "[\n" + body + "\n            ]"


def relative_error(actual: float, expected: float) -> float:
    if actual == expected:
        return 0.0
    return abs(actual - expected) / abs(expected)


def main() -> int:
    check_only = "--check" in sys.argv[1:]
    rng = np.random.default_rng(SEED)
    welch_rows = []
    worst_t = worst_p = 0.0
    for name, a, b in welch_cases(rng):
        result = stats.ttest_ind(a, b, equal_var=False)
        t, p, df = float(result.statistic), float(result.pvalue), float(result.df)
        et, edf, ep = exact_welch(a.tolist(), b.tolist())
        assert all(map(math.isfinite, (t, p, df))), name
        assert p > 0, f"{name}: p underflowed; pick a smaller t"
        errors = (relative_error(t, et), relative_error(df, edf), relative_error(p, ep))
        accurate = max(errors) <= SCIPY_ACCURATE
        if accurate:
            worst_t = max(worst_t, errors[0])
            worst_p = max(worst_p, errors[2])
        print(
            f"{name:32s} t={t: .6e} df={df:10.4f} p={p:.6e}   scipy vs exact: "
            f"t {errors[0]:.1e} df {errors[1]:.1e} p {errors[2]:.1e}{'' if accurate else '  (inexact)'}"
        )
        welch_rows.append((name, a, b, t, df, p, et, edf, ep, accurate))
    print(
        f"scipy vs exact, Welch cases flagged accurate: max relative error "
        f"t {worst_t:.2e}, p {worst_p:.2e}"
    )

    t_rows = []
    worst = 0.0
    for t, df in student_t_cases():
        p = float(2 * stats.t.sf(abs(t), df))
        ep = float(exact_two_sided_p(mpmath.mpf(t), mpmath.mpf(df)))
        worst = max(worst, relative_error(p, ep))
        print(f"t={t: .3e} df={df:10.4g} p={p:.16e}   scipy vs exact {relative_error(p, ep):.1e}")
        t_rows.append((t, df, p, ep))
    print(f"scipy vs exact, Student t: max relative error p {worst:.2e}")

    if check_only:
        return 0

    out = [
        "// Generated by scripts/welch_reference.py — do not edit; rerun the script instead.",
        f"// scipy {scipy.__version__}, numpy {np.__version__}, mpmath {mpmath.__version__}, "
        f"numpy seed {SEED}.",
        "//",
        "// `statistic`, `degreesOfFreedom`, `pValue`: scipy.stats.ttest_ind(a, b, equal_var=False)",
        "// (two-sided). `exact...`: the same quantities for the same doubles, computed in exact",
        "// rational arithmetic and 60-digit mpmath, then rounded once. `scipyIsAccurate`: scipy",
        f"// is within {SCIPY_ACCURATE:g} relative of the exact t, df and p.",
        "// swift-format-ignore-file",
        "",
        "/// One Welch t-test reference case.",
        "struct WelchReferenceCase: Sendable {",
        "    var name: String",
        "    var a: [Double]",
        "    var b: [Double]",
        "    var statistic: Double",
        "    var degreesOfFreedom: Double",
        "    var pValue: Double",
        "    var exactStatistic: Double",
        "    var exactDegreesOfFreedom: Double",
        "    var exactPValue: Double",
        "    var scipyIsAccurate: Bool",
        "}",
        "",
        "/// One two-sided Student t tail reference point: 2 * scipy.stats.t.sf(|t|, df).",
        "struct StudentTReferenceCase: Sendable {",
        "    var t: Double",
        "    var degreesOfFreedom: Double",
        "    var pValue: Double",
        "    var exactPValue: Double",
        "}",
        "",
        "enum WelchReference {",
        "    static let cases: [WelchReferenceCase] = [",
    ]
    for name, a, b, t, df, p, et, edf, ep, accurate in welch_rows:
        out += [
            "        WelchReferenceCase(",
            f'            name: "{name}",',
            f"            a: {swift_array(a)},",
            f"            b: {swift_array(b)},",
            f"            statistic: {swift_double(t)},",
            f"            degreesOfFreedom: {swift_double(df)},",
            f"            pValue: {swift_double(p)},",
            f"            exactStatistic: {swift_double(et)},",
            f"            exactDegreesOfFreedom: {swift_double(edf)},",
            f"            exactPValue: {swift_double(ep)},",
            f"            scipyIsAccurate: {'true' if accurate else 'false'}",
            "        ),",
        ]
    out += ["    ]", "", "    static let studentT: [StudentTReferenceCase] = ["]
    for t, df, p, ep in t_rows:
        out += wrap_list(
            "        StudentTReferenceCase(",
            [f"t: {swift_double(t)}", f"degreesOfFreedom: {swift_double(df)}", f"pValue: {swift_double(p)}",
             f"exactPValue: {swift_double(ep)}"],
            "),", " " * 12,
        )
    out += ["    ]", "}", ""]
    OUTPUT.write_text("\n".join(out))
    print(f"wrote {OUTPUT.relative_to(Path.cwd()) if OUTPUT.is_relative_to(Path.cwd()) else OUTPUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
