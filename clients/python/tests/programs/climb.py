"""A noisy gradient climb served with the function API: the state is pickled by the client.

Hyperparameters: lr (step size), batch (samples averaged per gradient). Score: minus the
distance to the target.
"""

import numpy as np

import pbt_client

TARGET = np.array([3.0, -2.0, 0.5])


def init(member, seed):
    rng = np.random.default_rng(seed)
    return {"x": rng.normal(0, 1, 3), "rng": rng, "steps": 0}


def train(state, steps, h):
    for _ in range(steps):
        noise = state["rng"].normal(0, 0.5, (int(h["batch"]), 3)).mean(axis=0)
        state["x"] += h["lr"] * (TARGET - state["x"] + noise)
        state["steps"] += 1


def evaluate(state):
    return -float(np.linalg.norm(state["x"] - TARGET))


if __name__ == "__main__":
    pbt_client.serve_functions(init, train, evaluate, hyperparameters=["lr", "batch"], name="climb")
