"""A PyTorch CNN on the UCI digits, tuned by swift-pbt over the external-program protocol.

    pip install ./clients/python torch
    swift run -c release pbt run examples/pytorch/digits.yaml

Hyperparameters: lr, momentum, weight_decay (SGD) and dropout. Score: validation accuracy.
Checkpoints (``pbt_client.torch``) hold the model, the optimizer's momentum buffers, the batch
sampler's generator and the global generators (dropout), so a copied member trains on exactly as
its donor would have. Get the best model out with
``pbt checkpoint pytorch-digits --best --out best.pt``, then ``load(model, "best.pt")``.
The data is the repository's Sources/PBTWorkloads/Resources/digits.csv (64 pixels, label).
"""

from __future__ import annotations

import csv
import os
from typing import Dict, Tuple

import torch
from torch import nn

import pbt_client
import pbt_client.torch

DATA = os.environ.get(
    "DIGITS_CSV", os.path.join(os.path.dirname(__file__), "..", "..", "Sources", "PBTWorkloads", "Resources", "digits.csv"))
BATCH = 32
TRAINING_ROWS = 1400


def load_digits() -> Tuple[Tuple[torch.Tensor, torch.Tensor], Tuple[torch.Tensor, torch.Tensor]]:
    """(training, validation) sets of 8×8 images in [0, 1] and labels, one fixed split for every member."""
    with open(DATA) as file:
        table = torch.tensor([[float(cell) for cell in row] for row in csv.reader(file)])
    table = table[torch.randperm(len(table), generator=torch.Generator().manual_seed(0))]
    images, labels = (table[:, :64] / 16.0).reshape(-1, 1, 8, 8), table[:, 64].long()
    return (images[:TRAINING_ROWS], labels[:TRAINING_ROWS]), (images[TRAINING_ROWS:], labels[TRAINING_ROWS:])


class Net(nn.Module):
    """Two 3×3 convolutions, max-pooling, dropout, a linear classifier."""

    def __init__(self) -> None:
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2))
        self.dropout = nn.Dropout(0.0)
        self.classifier = nn.Linear(32 * 4 * 4, 10)

    def forward(self, images: torch.Tensor) -> torch.Tensor:
        return self.classifier(self.dropout(self.features(images).flatten(1)))


def load(model: Net, path: str) -> None:
    """Puts a checkpoint's weights (as ``pbt checkpoint`` writes it) into ``model``."""
    pbt_client.torch.load(path, model=model, strict=False, rng=False)


class DigitsCNN:
    """One member: the network, its SGD optimizer and its batch sampler."""

    def __init__(self, member: int, seed: int) -> None:
        torch.set_num_threads(1)
        torch.manual_seed(seed)  # initial weights and dropout
        self.train_set, self.validation = load_digits()
        self.model = Net()
        self.optimizer = torch.optim.SGD(self.model.parameters(), lr=0.01, momentum=0.9)
        self.sampler = torch.Generator().manual_seed(seed)

    def set_hyperparameters(self, h: Dict[str, float]) -> None:
        for group in self.optimizer.param_groups:
            group.update(lr=h["lr"], momentum=h["momentum"], weight_decay=h["weight_decay"])
        self.model.dropout.p = h["dropout"]

    def train(self, steps: int) -> None:
        images, labels = self.train_set
        self.model.train()
        for _ in range(steps):
            index = torch.randint(0, len(images), (BATCH,), generator=self.sampler)
            loss = nn.functional.cross_entropy(self.model(images[index]), labels[index])
            self.optimizer.zero_grad()
            loss.backward()
            self.optimizer.step()

    def evaluate(self) -> float:
        images, labels = self.validation
        self.model.eval()
        with torch.no_grad():
            return (self.model(images).argmax(dim=1) == labels).float().mean().item()

    def save(self, path: str) -> None:
        pbt_client.torch.save(path, model=self.model, optimizer=self.optimizer, extra={"sampler": self.sampler.get_state()})

    def load(self, path: str) -> None:
        extra = pbt_client.torch.load(path, model=self.model, optimizer=self.optimizer)
        self.sampler.set_state(extra["sampler"])


if __name__ == "__main__":
    pbt_client.serve(DigitsCNN, hyperparameters=["lr", "momentum", "weight_decay", "dropout"], name="digits-cnn")
