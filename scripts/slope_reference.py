#!/usr/bin/env python3
"""Print reference values for Sources/PBT/Statistics/SlopeComparison.swift.

For each pair of series: scipy.stats.linregress slopes and standard errors against the index,
the statistic (b1 - b2) / sqrt(se1^2 + se2^2), the Welch-Satterthwaite degrees of freedom with
n - 2 per series, and the two-sided p-value 2 * t.sf(|t|, df). The Swift test
(Tests/PBTTests/SlopeComparisonTests.swift) holds these numbers; run from the package root:

    python3 scripts/slope_reference.py
"""

import numpy as np
from scipy import stats

CASES = [
    ([0.31, 0.22, 0.18, 0.15, 0.12, 0.11], [0.07, 0.071, 0.069, 0.072, 0.074, 0.073]),
    ([1.0, 2.0, 2.5, 4.5], [0.0, 0.5, 0.4, 0.9, 1.2]),
    ([-0.3, -0.1, -0.2], [5.0, 5.0, 5.1]),
]

for a, b in CASES:
    fa = stats.linregress(np.arange(len(a)), a)
    fb = stats.linregress(np.arange(len(b)), b)
    va, vb = fa.stderr**2, fb.stderr**2
    t = (fa.slope - fb.slope) / np.sqrt(va + vb)
    df = (va + vb) ** 2 / (va**2 / (len(a) - 2) + vb**2 / (len(b) - 2))
    p = 2 * stats.t.sf(abs(t), df)
    print(f"({a}, {b}, slopes: ({float(fa.slope)!r}, {float(fb.slope)!r}), t: {float(t)!r}, p: {float(p)!r}),")
