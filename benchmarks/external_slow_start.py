"""A program for the live-process part of `pbt bench external`: it takes STARTUP seconds to
start (as `import torch` does) and STEP seconds per training step; its score is the sum of
`lr` over the steps trained, so a population with truncation exploits.

Usage: python3 external_slow_start.py STARTUP STEP
"""

import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "clients", "python"))
import pbt_client  # noqa: E402

STARTUP = float(sys.argv[1]) if len(sys.argv) > 1 else 2.0
STEP = float(sys.argv[2]) if len(sys.argv) > 2 else 0.05


class Climber:
    def __init__(self, member, seed):
        self.total = 0.0
        self.lr = 0.0

    def set_hyperparameters(self, h):
        self.lr = float(h["lr"])

    def train(self, steps):
        time.sleep(STEP * steps)
        self.total += self.lr * steps

    def evaluate(self):
        return self.total

    def save(self, path):
        with open(path, "w") as file:
            file.write(repr(self.total))

    def load(self, path):
        with open(path) as file:
            self.total = float(file.read())


if __name__ == "__main__":
    time.sleep(STARTUP)
    pbt_client.serve(Climber, hyperparameters=["lr"])
