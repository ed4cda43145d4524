"""The climb of climb.py, whose evaluate also reports metrics; ``--bad NAME`` reports a metric
the engine refuses (named NAME, or with a text value when NAME is ``text``)."""

import sys

import numpy as np

import pbt_client
from climb import TARGET, init, train

BAD = sys.argv[sys.argv.index("--bad") + 1] if "--bad" in sys.argv else None


def evaluate(state):
    distance = float(np.linalg.norm(state["x"] - TARGET))
    metrics = {"distance": distance, "train/steps": state["steps"], "x0": np.float64(state["x"][0])}
    if BAD is not None:
        metrics[BAD if BAD != "text" else "note"] = 1.0 if BAD != "text" else "high"
    return -distance, metrics


if __name__ == "__main__":
    pbt_client.serve_functions(init, train, evaluate, hyperparameters=["lr", "batch"], name="reports")
