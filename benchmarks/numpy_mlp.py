#!/usr/bin/env python3
"""Reference: train the digits-shaped MLP (64-128-10, ReLU, softmax cross-entropy, Adam,
batch 64) in numpy float32 and print training steps per second as JSON.

This is the baseline that `pbt bench mlp` is compared against (see benchmarks/mlp.sh and
benchmarks/README-mlp.md). Run it on one BLAS thread:

    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OPENBLAS_NUM_THREADS=1 \
        python3 benchmarks/numpy_mlp.py --seconds 3

The model, data shape and update rule match Sources/pbt/Benchmarks/MLPBenchmark.swift:
random inputs in [0, 1) and random labels (the timing does not depend on the values),
He-normal weights, zero biases, Adam(lr=1e-3, betas=(0.9, 0.999), eps=1e-8).
"""

import argparse
import json
import time

import numpy as np

IN, HIDDEN, OUT, BATCH = 64, 128, 10, 64


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=3.0, help="timed training seconds")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    rng = np.random.default_rng(args.seed)
    f32 = np.float32
    n_data = 2048
    xs = rng.random((n_data, IN), dtype=f32)
    ys = rng.integers(0, OUT, size=n_data)

    params = [
        (rng.standard_normal((IN, HIDDEN)) * np.sqrt(2.0 / IN)).astype(f32),
        np.zeros(HIDDEN, f32),
        (rng.standard_normal((HIDDEN, OUT)) * np.sqrt(2.0 / HIDDEN)).astype(f32),
        np.zeros(OUT, f32),
    ]
    m = [np.zeros_like(p) for p in params]
    v = [np.zeros_like(p) for p in params]
    lr, b1, b2, eps = f32(1e-3), f32(0.9), f32(0.999), f32(1e-8)
    rows = np.arange(BATCH)
    t = 0

    def step(x: np.ndarray, y: np.ndarray) -> float:
        nonlocal t
        w1, c1, w2, c2 = params
        h = x @ w1 + c1
        a = np.maximum(h, 0)
        logits = a @ w2 + c2
        logits -= logits.max(axis=1, keepdims=True)
        e = np.exp(logits)
        p = e / e.sum(axis=1, keepdims=True)
        loss = -np.log(p[rows, y] + f32(1e-12)).mean()
        p[rows, y] -= 1
        p /= f32(BATCH)
        grads = [None, None, a.T @ p, p.sum(axis=0)]
        da = p @ w2.T
        da *= h > 0
        grads[0] = x.T @ da
        grads[1] = da.sum(axis=0)
        t += 1
        c_1 = f32(1 - b1 ** t)
        c_2 = f32(1 - b2 ** t)
        for param, g, mi, vi in zip(params, grads, m, v):
            mi *= b1
            mi += (1 - b1) * g
            vi *= b2
            vi += (1 - b2) * g * g
            param -= lr * (mi / c_1) / (np.sqrt(vi / c_2) + eps)
        return float(loss)

    batches = n_data // BATCH

    def run(seconds: float) -> tuple[int, float, float]:
        steps, loss = 0, 0.0
        start = time.perf_counter()
        while True:
            for _ in range(100):
                k = steps % batches
                loss = step(xs[k * BATCH:(k + 1) * BATCH], ys[k * BATCH:(k + 1) * BATCH])
                steps += 1
            elapsed = time.perf_counter() - start
            if elapsed >= seconds:
                return steps, elapsed, loss

    run(min(0.5, args.seconds))  # warm-up
    steps, elapsed, loss = run(args.seconds)
    result = {
        "implementation": "numpy",
        "numpy": np.__version__,
        "steps": steps,
        "seconds": elapsed,
        "steps_per_second": steps / elapsed,
        "final_loss": loss,
    }
    try:
        from threadpoolctl import threadpool_info

        result["blas"] = [
            {k: info.get(k) for k in ("internal_api", "version", "architecture", "num_threads")}
            for info in threadpool_info()
        ]
    except ImportError:
        result["blas"] = "threadpoolctl not installed"
    print(json.dumps(result))


if __name__ == "__main__":
    main()
