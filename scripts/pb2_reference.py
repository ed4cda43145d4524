#!/usr/bin/env python3
"""Generate Tests/PBTTests/PB2ReferenceCases.swift: reference values for PB2's numerics.

GP cases: PB2's time-varying squared-exponential kernel
``k = var * exp(-|z - z'|^2 / ls) * (1 - eps)^(|t - t'| / 2)`` (column 0 is t, the rest z)
plus ``noise`` on the diagonal, written out in numpy, records

* the log marginal likelihood and its gradient with respect to
  ``(log var, log ls, eps, log noise)``,
* the posterior mean and latent variance (without noise) at query points,

and checks them against scikit-learn: the same kernel as a ``sklearn.gaussian_process``
``Kernel`` plus a ``WhiteKernel``, in ``GaussianProcessRegressor(optimizer=None, alpha=0)``
(``log_marginal_likelihood(theta, eval_gradient=True)`` and ``predict(return_std=True)``;
sklearn's gradient is in log coordinates, so d/d eps = d/d log eps / eps).

Optimiser cases: smooth bounded problems minimised by ``scipy.optimize.minimize`` with
``method="L-BFGS-B"`` and tight tolerances; the Swift tests define the same functions by name.

Run from the package root (Python 3.11, numpy, scipy, scikit-learn):

    python3 scripts/pb2_reference.py            # rewrite the Swift file
    python3 scripts/pb2_reference.py --check    # print it instead
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import scipy
import sklearn
from scipy.linalg import cho_factor, cho_solve
from scipy.optimize import minimize
from sklearn.gaussian_process import GaussianProcessRegressor
from sklearn.gaussian_process.kernels import Hyperparameter, Kernel, WhiteKernel

from swift_layout import wrap_list

OUTPUT = Path(__file__).resolve().parent.parent / "Tests" / "PBTTests" / "PB2ReferenceCases.swift"


class TimeVaryingSE(Kernel):
    """PB2's kernel for scikit-learn: hyperparameters epsilon, lengthscale, variance."""

    def __init__(self, variance=1.0, lengthscale=1.0, epsilon=0.1):
        self.variance = variance
        self.lengthscale = lengthscale
        self.epsilon = epsilon

    @property
    def hyperparameter_variance(self):
        return Hyperparameter("variance", "numeric", (1e-5, 1e5))

    @property
    def hyperparameter_lengthscale(self):
        return Hyperparameter("lengthscale", "numeric", (1e-5, 1e5))

    @property
    def hyperparameter_epsilon(self):
        return Hyperparameter("epsilon", "numeric", (1e-9, 0.5))

    def __call__(self, X, Y=None, eval_gradient=False):
        Y = X if Y is None else Y
        t = np.abs(X[:, :1] - Y[:, :1].T)
        d = ((X[:, None, 1:] - Y[None, :, 1:]) ** 2).sum(-1)
        K = self.variance * np.exp(-d / self.lengthscale) * (1 - self.epsilon) ** (t / 2)
        if not eval_gradient:
            return K
        # Gradients in sklearn's log coordinates, in its hyperparameter order (sorted by name).
        d_eps = K * (-t / (2 * (1 - self.epsilon))) * self.epsilon
        d_ls = K * d / self.lengthscale
        d_var = K
        return K, np.dstack([d_eps, d_ls, d_var])

    def diag(self, X):
        return np.full(X.shape[0], self.variance)

    def is_stationary(self):
        return True


def kernel(X, Y, p):
    t = np.abs(X[:, :1] - Y[:, :1].T)
    d = ((X[:, None, 1:] - Y[None, :, 1:]) ** 2).sum(-1)
    return p["variance"] * np.exp(-d / p["lengthscale"]) * (1 - p["epsilon"]) ** (t / 2), d, t


def numpy_reference(X, y, Q, p):
    """LML, its gradient in (log var, log ls, eps, log noise), posterior mean and variance."""
    n = len(y)
    Kf, d, t = kernel(X, X, p)
    K = Kf + p["noise"] * np.eye(n)
    factor = cho_factor(K, lower=True)
    alpha = cho_solve(factor, y)
    L = factor[0]
    lml = -0.5 * y @ alpha - np.log(np.diag(L)).sum() - 0.5 * n * np.log(2 * np.pi)
    W = np.outer(alpha, alpha) - cho_solve(factor, np.eye(n))
    derivatives = [Kf, Kf * d / p["lengthscale"], Kf * (-t / (2 * (1 - p["epsilon"]))), p["noise"] * np.eye(n)]
    gradient = [0.5 * np.sum(W * D) for D in derivatives]
    Ks = kernel(Q, X, p)[0]
    mean = Ks @ alpha
    variance = p["variance"] - np.einsum("ij,ji->i", Ks, cho_solve(factor, Ks.T))
    return lml, gradient, mean, variance


def check_sklearn(X, y, Q, p, lml, gradient, mean, variance):
    k = TimeVaryingSE(p["variance"], p["lengthscale"], p["epsilon"]) + WhiteKernel(p["noise"], (1e-9, 1e3))
    gp = GaussianProcessRegressor(kernel=k, optimizer=None, alpha=0.0, normalize_y=False).fit(X, y)
    sk_lml, sk_grad = gp.log_marginal_likelihood(gp.kernel_.theta, eval_gradient=True)
    # sklearn's order: epsilon, lengthscale, variance (log), noise_level (log).
    sk_grad = [sk_grad[2], sk_grad[1], sk_grad[0] / p["epsilon"], sk_grad[3]]
    sk_mean, sk_std = gp.predict(Q, return_std=True)
    sk_variance = sk_std**2 - p["noise"]
    assert np.allclose(sk_lml, lml, rtol=1e-10, atol=0), (sk_lml, lml)
    assert np.allclose(sk_grad, gradient, rtol=1e-8, atol=1e-10), (sk_grad, gradient)
    assert np.allclose(sk_mean, mean, rtol=1e-9, atol=1e-12), (sk_mean, mean)
    assert np.allclose(sk_variance, variance, rtol=1e-6, atol=1e-10), (sk_variance, variance)


def gp_cases():
    rng = np.random.default_rng(20_260_514)
    result = []
    for name, n, dims, p in [
        ("6 rows, 1 hyperparameter", 6, 1, dict(variance=1.0, lengthscale=1.0, epsilon=0.1, noise=1.0)),
        ("25 rows, 2 hyperparameters", 25, 2, dict(variance=0.7, lengthscale=0.3, epsilon=0.25, noise=0.05)),
        ("40 rows, 4 hyperparameters", 40, 4, dict(variance=2.5, lengthscale=2.0, epsilon=0.45, noise=0.01)),
        ("60 rows, 3 hyperparameters, small noise", 60, 3, dict(variance=1.3, lengthscale=0.5, epsilon=0.02, noise=1e-3)),
    ]:
        X = rng.uniform(0, 1, (n, 2 + dims))
        y = np.clip(np.sin(3 * X[:, 2]) + X[:, 1] - 0.5 + 0.1 * rng.normal(size=n), -2, 2)
        Q = rng.uniform(-0.1, 1.1, (5, 2 + dims))
        lml, gradient, mean, variance = numpy_reference(X, y, Q, p)
        check_sklearn(X, y, Q, p, lml, gradient, mean, variance)
        result.append((name, X, y, Q, p, lml, gradient, mean, variance))
    return result


PROBLEMS = {
    # f(x) = sum w_i (x_i - c_i)^2 with the minimum of two coordinates outside the box.
    "quadratic": (
        lambda x: float(np.sum([1, 3, 0.5] * (x - [1.5, 0.25, -0.4]) ** 2)),
        lambda x: np.array([1, 3, 0.5]) * 2 * (x - [1.5, 0.25, -0.4]),
        [0, 0, 0], [1, 1, 1], [0.5, 0.5, 0.5],
    ),
    # Rosenbrock with the unconstrained minimum (1, 1) cut off by x0 <= 0.8.
    "rosenbrock": (
        lambda x: float(100 * (x[1] - x[0] ** 2) ** 2 + (1 - x[0]) ** 2),
        lambda x: np.array([-400 * x[0] * (x[1] - x[0] ** 2) - 2 * (1 - x[0]), 200 * (x[1] - x[0] ** 2)]),
        [-2, -1], [0.8, 2], [-1.2, 1.0],
    ),
    # A smooth convex function with an interior minimum: log-sum-exp plus a quadratic.
    "logsumexp": (
        lambda x: float(np.log(np.exp(x[0] + 2 * x[1]) + np.exp(-x[0]) + np.exp(x[2] - x[1])) + 0.5 * x @ x),
        lambda x: (lambda e: (np.array([e[0] - e[1], 2 * e[0] - e[2], e[2]]) / e.sum()) + x)(
            np.exp([x[0] + 2 * x[1], -x[0], x[2] - x[1]])
        ),
        [-3, -3, -3], [3, 3, 3], [2.0, -1.0, 1.5],
    ),
}


def optimiser_cases():
    result = []
    for name, (f, g, lower, upper, start) in PROBLEMS.items():
        res = minimize(f, np.array(start, float), jac=g, method="L-BFGS-B", bounds=list(zip(lower, upper)),
                       options=dict(ftol=1e-15, gtol=1e-12, maxiter=10_000))
        assert res.success, res
        result.append((name, lower, upper, start, res.x, res.fun))
    return result


def swift_array(values) -> str:
    return "[" + ", ".join(swift_doubles(values)) + "]"


def swift_doubles(values) -> list[str]:
    return [repr(float(v)) for v in np.ravel(values)]


def array_argument(label: str, values, tail: str = ",") -> list[str]:
    """A GP case's argument `label: [values]` + `tail`, its elements wrapped one level deeper."""
    return wrap_list(f"            {label}: [", swift_doubles(values), "]" + tail, " " * 16)


def render() -> str:
    lines = [
        f"// Generated by scripts/pb2_reference.py with numpy {np.__version__}, scipy {scipy.__version__} and "
        f"scikit-learn {sklearn.__version__}; do not edit.",
        "// swift-format-ignore-file",
        "",
        "import Testing",
        "",
        "/// A GP reference case: inputs (column 0 time), targets, kernel parameters, queries and",
        "/// the log marginal likelihood, its gradient in (log σ², log ℓ, ε, log noise), posterior",
        "/// means and latent variances.",
        "struct PB2GaussianProcessCase: Sendable, CustomTestStringConvertible {",
        "    var name: String",
        "    var columns: Int",
        "    var inputs: [Double]",
        "    var targets: [Double]",
        "    var queries: [Double]",
        "    var variance: Double",
        "    var lengthscale: Double",
        "    var epsilon: Double",
        "    var noise: Double",
        "    var logMarginalLikelihood: Double",
        "    var gradient: [Double]",
        "    var means: [Double]",
        "    var variances: [Double]",
        "    var testDescription: String { name }",
        "}",
        "",
        "/// An optimiser reference case: a named problem, its box, the start and scipy's L-BFGS-B optimum.",
        "struct PB2OptimiserCase: Sendable, CustomTestStringConvertible {",
        "    var name: String",
        "    var lower: [Double]",
        "    var upper: [Double]",
        "    var start: [Double]",
        "    var minimum: [Double]",
        "    var value: Double",
        "    var testDescription: String { name }",
        "}",
        "",
        "extension PB2GaussianProcessCase {",
        "    static let all: [PB2GaussianProcessCase] = [",
    ]
    for name, X, y, Q, p, lml, gradient, mean, variance in gp_cases():
        lines += [
            "        PB2GaussianProcessCase(",
            f"            name: {name!r}, columns: {X.shape[1]},".replace("'", '"'),
            *array_argument("inputs", X),
            *array_argument("targets", y),
            *array_argument("queries", Q),
            *wrap_list(
                " " * 12,
                [f"variance: {p['variance']!r}", f"lengthscale: {p['lengthscale']!r}",
                 f"epsilon: {p['epsilon']!r}", f"noise: {p['noise']!r}"],
                ",", " " * 12,
            ),
            f"            logMarginalLikelihood: {float(lml)!r},",
            *array_argument("gradient", gradient),
            *array_argument("means", mean),
            *array_argument("variances", variance, "),"),
        ]
    lines += ["    ]", "}", "", "extension PB2OptimiserCase {", "    static let all: [PB2OptimiserCase] = ["]
    for name, lower, upper, start, x, fun in optimiser_cases():
        lines += wrap_list(
            "        PB2OptimiserCase(",
            [f'name: "{name}"', f"lower: {swift_array(lower)}", f"upper: {swift_array(upper)}",
             f"start: {swift_array(start)}", f"minimum: {swift_array(x)}", f"value: {float(fun)!r}"],
            "),", " " * 12,
        )
    lines += ["    ]", "}", ""]
    return "\n".join(lines)


if __name__ == "__main__":
    text = render()
    if "--check" in sys.argv:
        print(text)
    else:
        OUTPUT.write_text(text)
        print(f"wrote {OUTPUT}")
