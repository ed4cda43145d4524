"""A numpy MLP on the UCI digits, tuned by swift-pbt over the external-program protocol.

    swift run -c release pbt run examples/python/digits.yaml

Hyperparameters: lr (SGD step size), momentum, weight_decay. Score: validation accuracy.
The data is the repository's Sources/PBTWorkloads/Resources/digits.csv (64 pixels, label).
"""

import json
import os
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "clients", "python"))
import pbt_client  # noqa: E402

DATA = os.environ.get(
    "DIGITS_CSV", os.path.join(os.path.dirname(__file__), "..", "..", "Sources", "PBTWorkloads", "Resources", "digits.csv"))
BATCH = 32
HIDDEN = 64


def load_digits():
    table = np.loadtxt(DATA, delimiter=",", dtype=np.float32)
    order = np.random.default_rng(0).permutation(len(table))  # one fixed split for every member
    table = table[order]
    x, y = table[:, :64] / 16.0, table[:, 64].astype(np.int64)
    return (x[:1400], y[:1400]), (x[1400:], y[1400:])


class DigitsMLP:
    """64-64-10 ReLU network, softmax cross-entropy, SGD with momentum and weight decay."""

    def __init__(self, member, seed):
        self.train_set, self.validation = load_digits()
        self.rng = np.random.default_rng(seed)
        self.w1 = self.rng.normal(0, np.sqrt(2 / 64), (64, HIDDEN)).astype(np.float32)
        self.b1 = np.zeros(HIDDEN, np.float32)
        self.w2 = self.rng.normal(0, np.sqrt(2 / HIDDEN), (HIDDEN, 10)).astype(np.float32)
        self.b2 = np.zeros(10, np.float32)
        self.velocity = [np.zeros_like(p) for p in self.parameters()]
        self.h = {"lr": 0.01, "momentum": 0.9, "weight_decay": 0.0}

    def parameters(self):
        return [self.w1, self.b1, self.w2, self.b2]

    def set_hyperparameters(self, h):
        self.h.update(h)

    def forward(self, x):
        hidden = np.maximum(x @ self.w1 + self.b1, 0)
        return hidden, hidden @ self.w2 + self.b2

    def train(self, steps):
        x_all, y_all = self.train_set
        for _ in range(steps):
            index = self.rng.integers(0, len(x_all), BATCH)
            x, y = x_all[index], y_all[index]
            hidden, logits = self.forward(x)
            p = np.exp(logits - logits.max(axis=1, keepdims=True))
            p /= p.sum(axis=1, keepdims=True)
            p[np.arange(len(y)), y] -= 1
            p /= len(y)
            d_hidden = (p @ self.w2.T) * (hidden > 0)
            grads = [x.T @ d_hidden, d_hidden.sum(0), hidden.T @ p, p.sum(0)]
            for param, grad, v in zip(self.parameters(), grads, self.velocity):
                v *= self.h["momentum"]
                v -= self.h["lr"] * (grad + self.h["weight_decay"] * param)
                param += v

    def evaluate(self):
        x, y = self.validation
        return float((self.forward(x)[1].argmax(axis=1) == y).mean())

    def save(self, path):
        state = self.rng.bit_generator.state
        with open(path, "wb") as file:
            np.savez(file, *self.parameters(), *self.velocity, rng=np.array(json.dumps(state)))

    def load(self, path):
        with np.load(path) as saved:
            arrays = [saved["arr_%d" % i] for i in range(8)]
            self.w1, self.b1, self.w2, self.b2 = arrays[:4]
            self.velocity = arrays[4:]
            self.rng.bit_generator.state = json.loads(str(saved["rng"]))


if __name__ == "__main__":
    pbt_client.serve(DigitsMLP, hyperparameters=["lr", "momentum", "weight_decay"], name="digits-mlp")
