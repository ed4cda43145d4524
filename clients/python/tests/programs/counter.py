"""A class-API program that counts: train adds rate × steps; it prints, to check stdout stays clean."""

import json
import os
import sys

import pbt_client


class Counter:
    def __init__(self, member, seed):
        self.total = float(seed)
        self.h = {}
        print("made member", member)  # must reach standard error, not the protocol

    def set_hyperparameters(self, h):
        self.h = dict(h)

    def train(self, steps):
        self.total += float(self.h["rate"]) * steps
        os.write(1, b"written to file descriptor 1\n")

    def evaluate(self):
        return float(self.h.get("score", self.total))

    def save(self, path):
        with open(path, "w") as file:
            json.dump({"total": self.total, "member": os.environ.get("PBT_MEMBER")}, file)

    def load(self, path):
        with open(path) as file:
            self.total = json.load(file)["total"]
        print("now member", os.environ["PBT_MEMBER"], file=sys.stderr)


if __name__ == "__main__":
    pbt_client.serve(Counter, hyperparameters=["rate", "score"], name="counter")
