#!/usr/bin/env python3
"""Generate Tests/PBTTests/PB2MixReferenceCases.swift: reference values for PB2-Mix's numerics.

PB2-Mix (Parker-Holder, Nguyen, Desai, Roberts, NeurIPS 2021) explores unordered choices
with a time-varying EXP3 bandit and models the rest with a GP whose kernel mixes PB2's
time-varying squared exponential with an overlap kernel over the categories. This script
writes both out in numpy, independently of the Swift code, and records:

GP cases: with ``t`` the time (column 0), ``z`` the other numeric columns (score before, the
numeric hyperparameters) and ``c`` the categories (option indices),

    S = exp(-|z - z'|^2 / ls)              the squared exponential
    O = mean_j [c_j == c'_j]               the overlap kernel (CoCaBO)
    T = (1 - eps)^(|t - t'| / 2)           the time decay (PB2)
    k = var * T * ((1 - mix) / 2 * (S + O) + mix * S * O)

plus ``noise`` on the diagonal: the kernel matrix, the log marginal likelihood and its
gradient with respect to ``(log var, log ls, eps, log noise, mix)`` (analytic, checked here
against central differences), the posterior mean and latent variance at query points.

Bandit cases: rows (time, option, rate) in the order PB2 keeps them; the rates become
rewards in [0, 1] by standardising over all rows (population std + 1e-8), clipping to
[-2, 2] and mapping linearly ((z + 2) / 4); rows with equal time make one round, rounds in
time order. From uniform weights, each round: the EXP3.M probabilities
``q = (1 - GAMMA) w' / sum(w') + GAMMA / C`` with ``w'`` the weights capped at the threshold
alpha (found here by bisection) when the batch B is below C; every play of an uncapped
option i adds ``GAMMA * (reward - round's mean reward) / (C * q_i)`` to its log weight; then Exp3.S's share
``e * FORGETTING / C * sum(w)``, once per play of the round, is added to every weight and
the weights are normalised.
The case records the final probabilities and weights.

Run from the package root (Python 3, numpy only):

    python3 scripts/pb2mix_reference.py            # rewrite the Swift file
    python3 scripts/pb2mix_reference.py --check    # print it instead
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

from swift_layout import wrap_list

OUTPUT = Path(__file__).resolve().parent.parent / "Tests" / "PBTTests" / "PB2MixReferenceCases.swift"

GAMMA = 0.2
FORGETTING = 0.001


# --- The mixed GP --------------------------------------------------------------------------


def mixed_kernel(X, C, Y, D, p):
    """The kernel between rows (X, C) and (Y, D), with its parts."""
    t = np.abs(X[:, :1] - Y[:, :1].T)
    d = ((X[:, None, 1:] - Y[None, :, 1:]) ** 2).sum(-1)
    S = np.exp(-d / p["lengthscale"])
    T = (1 - p["epsilon"]) ** (t / 2)
    O = (C[:, None, :] == D[None, :, :]).mean(-1)
    h = (1 - p["mix"]) / 2
    K = p["variance"] * T * (h * (S + O) + p["mix"] * S * O)
    return K, dict(t=t, d=d, S=S, T=T, O=O)


def likelihood(X, C, y, p):
    n = len(y)
    Kf, parts = mixed_kernel(X, C, X, C, p)
    K = Kf + p["noise"] * np.eye(n)
    L = np.linalg.cholesky(K)
    alpha = np.linalg.solve(L.T, np.linalg.solve(L, y))
    return -0.5 * y @ alpha - np.log(np.diag(L)).sum() - 0.5 * n * np.log(2 * np.pi), Kf, K, alpha, parts


def reference(X, C, y, Q, QC, p):
    lml, Kf, K, alpha, parts = likelihood(X, C, y, p)
    n = len(y)
    inverse = np.linalg.inv(K)
    W = np.outer(alpha, alpha) - inverse
    t, d, S, T, O = (parts[k] for k in "tdSTO")
    var, ls, eps, mix = p["variance"], p["lengthscale"], p["epsilon"], p["mix"]
    derivatives = [
        Kf,
        var * T * S * (d / ls) * ((1 - mix) / 2 + mix * O),
        Kf * (-t / (2 * (1 - eps))),
        p["noise"] * np.eye(n),
        var * T * (-(S + O) / 2 + S * O),
    ]
    gradient = [0.5 * np.sum(W * D) for D in derivatives]
    Ks = mixed_kernel(Q, QC, X, C, p)[0]
    mean = Ks @ alpha
    variance = var - np.einsum("ij,ji->i", Ks, inverse @ Ks.T)
    check_gradient(X, C, y, p, gradient)
    return Kf, lml, gradient, mean, variance


def coordinates(p):
    return [np.log(p["variance"]), np.log(p["lengthscale"]), p["epsilon"], np.log(p["noise"]), p["mix"]]


def parameters(c):
    return dict(variance=np.exp(c[0]), lengthscale=np.exp(c[1]), epsilon=c[2], noise=np.exp(c[3]), mix=c[4])


def check_gradient(X, C, y, p, gradient):
    """The analytic gradient against central differences of the likelihood."""
    origin = coordinates(p)
    for k in range(5):
        h = 1e-6
        up, down = list(origin), list(origin)
        up[k] += h
        down[k] -= h
        numeric = (likelihood(X, C, y, parameters(up))[0] - likelihood(X, C, y, parameters(down))[0]) / (2 * h)
        assert abs(numeric - gradient[k]) <= 1e-6 * max(1, abs(gradient[k])), (k, numeric, gradient[k])


def gp_cases():
    rng = np.random.default_rng(20_260_601)
    result = []
    for name, n, numeric, options, p in [
        ("6 rows, 1 numeric, 1 choice of 3", 6, 1, [3],
         dict(variance=1.0, lengthscale=1.0, epsilon=0.1, noise=1.0, mix=0.5)),
        ("20 rows, 2 numeric, choices of 2 and 4", 20, 2, [2, 4],
         dict(variance=0.8, lengthscale=0.4, epsilon=0.3, noise=0.05, mix=0.2)),
        ("30 rows, no numeric hyperparameter, 1 choice of 3", 30, 0, [3],
         dict(variance=1.7, lengthscale=0.6, epsilon=0.05, noise=0.01, mix=0.85)),
    ]:
        X = rng.uniform(0, 1, (n, 2 + numeric))
        C = np.stack([rng.integers(0, k, n) for k in options], axis=1)
        y = np.clip(X[:, 1] - 0.5 + 0.6 * (C[:, 0] == 1) + 0.1 * rng.normal(size=n), -2, 2)
        Q = rng.uniform(-0.1, 1.1, (4, 2 + numeric))
        QC = np.stack([rng.integers(0, k, 4) for k in options], axis=1)
        Kf, lml, gradient, mean, variance = reference(X, C, y, Q, QC, p)
        result.append((name, X, C, y, Q, QC, p, Kf, lml, gradient, mean, variance))
    return result


# --- The bandit ----------------------------------------------------------------------------


def rewards(rates):
    rates = np.asarray(rates, float)
    z = np.clip((rates - rates.mean()) / (rates.std() + 1e-8), -2, 2)
    return (z + 2) / 4


def capped(w, batch):
    """EXP3.M's capped weights and the capped options (none when the batch covers every option)."""
    options = len(w)
    if batch >= options:
        return w.copy(), set()
    r = (1 / batch - GAMMA / options) / (1 - GAMMA)
    if w.max() < r * w.sum():
        return w.copy(), set()
    low, high = 0.0, w.max()
    for _ in range(300):  # f(a) = a / sum(min(w, a)) is nondecreasing: bisect f(a) = r
        middle = (low + high) / 2
        if middle / np.minimum(w, middle).sum() < r:
            low = middle
        else:
            high = middle
    alpha = (low + high) / 2
    top = {i for i in range(options) if w[i] > alpha}
    assert all(abs(w[i] - alpha) > 1e-9 * alpha for i in range(options)), "a weight at the threshold"
    return np.minimum(w, alpha), top


def probabilities(w, batch):
    w_capped, top = capped(w, batch)
    return (1 - GAMMA) * w_capped / w_capped.sum() + GAMMA / len(w), top


def bandit(times, arms, rates, options, batch):
    x = rewards(rates)
    w = np.full(options, 1 / options)
    for time in sorted(set(times)):
        q, top = probabilities(w, batch)
        assert batch >= options or np.all(batch * q <= 1 + 1e-12), "an inclusion probability above 1"
        g = np.zeros(options)
        rows = [i for i in range(len(times)) if times[i] == time]
        baseline = np.mean(x[rows])
        plays = len(rows)
        for i in rows:
            if arms[i] not in top:
                g[arms[i]] += GAMMA * (x[i] - baseline) / (options * q[arms[i]])
        w = w * np.exp(g) + plays * np.e * FORGETTING / options * w.sum()
        w = w / w.sum()
    return probabilities(w, batch)[0], w


def bandit_cases():
    rng = np.random.default_rng(20_260_602)
    result = []
    # Each member plays the best option with probability `bias` (as members following the
    # bandit would), else a uniform draw; 1 in 5 misses a round (asynchronous ready points).
    for name, options, batch, rounds, best, switch, bias in [
        ("3 options, batch 8, option 1 best", 3, 8, 12, [1], None, 0.0),
        ("5 options, batch 3, option 3 best and capped", 5, 3, 40, [3], None, 0.5),
        ("4 options, batch 4, best switches from 0 to 3", 4, 4, 30, [0, 3], 15, 0.0),
    ]:
        times, arms, rates = [], [], []
        for r in range(rounds):
            good = best[0] if switch is None or r < switch else best[1]
            for member in range(batch):
                if rng.uniform() < 0.8:
                    arm = good if rng.uniform() < bias else int(rng.integers(0, options))
                    times.append(10.0 * (r + 1))
                    arms.append(arm)
                    rates.append((1.0 if arm == good else 0.2) + 0.3 * rng.normal())
        q, w = bandit(times, arms, rates, options, batch)
        assert ("capped" in name) == bool(capped(w, batch)[1]), name
        result.append((name, options, batch, times, arms, rates, q, w))
    return result


# --- Swift ---------------------------------------------------------------------------------


def swift_doubles(values) -> list[str]:
    return [repr(float(v)) for v in np.ravel(values)]


def swift_ints(values) -> list[str]:
    return [str(int(v)) for v in np.ravel(values)]


def argument(label: str, items: list[str], tail: str = ",") -> list[str]:
    """A case's argument `label: [items]` + `tail`, its elements wrapped one level deeper."""
    if not items:
        return [f"            {label}: []{tail}"]
    return wrap_list(f"            {label}: [", items, "]" + tail, " " * 16)


def render() -> str:
    lines = [
        f"// Generated by scripts/pb2mix_reference.py with numpy {np.__version__}; do not edit.",
        "// swift-format-ignore-file",
        "",
        "import Testing",
        "",
        "/// A mixed-kernel GP reference case: numeric inputs (column 0 time), categories (option",
        "/// indices, `categoryCount` per row), targets, kernel parameters, queries, and the kernel",
        "/// matrix without noise (lower triangle with the diagonal, row by row), the log marginal",
        "/// likelihood, its gradient in (log σ², log ℓ, ε, log noise, λ), posterior means and latent",
        "/// variances.",
        "struct PB2MixedProcessCase: Sendable, CustomTestStringConvertible {",
        "    var name: String",
        "    var columns: Int",
        "    var categoryCount: Int",
        "    var inputs: [Double]",
        "    var categories: [Int]",
        "    var targets: [Double]",
        "    var queries: [Double]",
        "    var queryCategories: [Int]",
        "    var variance: Double",
        "    var lengthscale: Double",
        "    var epsilon: Double",
        "    var noise: Double",
        "    var mix: Double",
        "    var kernel: [Double]",
        "    var logMarginalLikelihood: Double",
        "    var gradient: [Double]",
        "    var means: [Double]",
        "    var variances: [Double]",
        "    var testDescription: String { name }",
        "}",
        "",
        "/// A bandit reference case: rows (time, option, rate) oldest first, the number of options",
        "/// and the batch, and the final EXP3 probabilities and weights.",
        "struct PB2BanditCase: Sendable, CustomTestStringConvertible {",
        "    var name: String",
        "    var options: Int",
        "    var batch: Int",
        "    var times: [Double]",
        "    var arms: [Int]",
        "    var rates: [Double]",
        "    var probabilities: [Double]",
        "    var weights: [Double]",
        "    var testDescription: String { name }",
        "}",
        "",
        "extension PB2MixedProcessCase {",
        "    static let all: [PB2MixedProcessCase] = [",
    ]
    for name, X, C, y, Q, QC, p, Kf, lml, gradient, mean, variance in gp_cases():
        lower = [Kf[i, j] for i in range(len(y)) for j in range(i + 1)]
        lines += [
            "        PB2MixedProcessCase(",
            f'            name: "{name}", columns: {X.shape[1]}, categoryCount: {C.shape[1]},',
            *argument("inputs", swift_doubles(X)),
            *argument("categories", swift_ints(C)),
            *argument("targets", swift_doubles(y)),
            *argument("queries", swift_doubles(Q)),
            *argument("queryCategories", swift_ints(QC)),
            *wrap_list(
                " " * 12,
                [f"variance: {p['variance']!r}", f"lengthscale: {p['lengthscale']!r}",
                 f"epsilon: {p['epsilon']!r}", f"noise: {p['noise']!r}", f"mix: {p['mix']!r}"],
                ",", " " * 12,
            ),
            *argument("kernel", swift_doubles(lower)),
            f"            logMarginalLikelihood: {float(lml)!r},",
            *argument("gradient", swift_doubles(gradient)),
            *argument("means", swift_doubles(mean)),
            *argument("variances", swift_doubles(variance), "),"),
        ]
    lines += ["    ]", "}", "", "extension PB2BanditCase {", "    static let all: [PB2BanditCase] = ["]
    for name, options, batch, times, arms, rates, q, w in bandit_cases():
        lines += [
            "        PB2BanditCase(",
            f'            name: "{name}", options: {options}, batch: {batch},',
            *argument("times", swift_doubles(times)),
            *argument("arms", swift_ints(arms)),
            *argument("rates", swift_doubles(rates)),
            *argument("probabilities", swift_doubles(q)),
            *argument("weights", swift_doubles(w), "),"),
        ]
    lines += ["    ]", "}", ""]
    return "\n".join(lines)


if __name__ == "__main__":
    text = render()
    if "--check" in sys.argv:
        print(text)
    else:
        OUTPUT.write_text(text)
        print(f"wrote {OUTPUT}")
