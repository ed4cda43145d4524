"""A no-op training program for `pbt bench external`: trains nothing, saves and loads a
checkpoint of a fixed size (default 1 MB), so the benchmark measures the engine's overhead
per ready point: protocol round trips and the checkpoint copy."""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "clients", "python"))
import pbt_client  # noqa: E402

SIZE = int(sys.argv[1]) if len(sys.argv) > 1 else 1 << 20


class NoOp:
    def __init__(self, member, seed):
        self.state = bytes(SIZE)
        self.steps = 0

    def set_hyperparameters(self, h):
        self.h = h

    def train(self, steps):
        self.steps += steps

    def evaluate(self):
        return float(self.steps)

    def save(self, path):
        with open(path, "wb") as file:
            file.write(self.state)

    def load(self, path):
        with open(path, "rb") as file:
            self.state = file.read()


if __name__ == "__main__":
    pbt_client.serve(NoOp)
