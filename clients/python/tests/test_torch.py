"""``pbt_client.torch`` and the PyTorch example; skipped, with the reason, when torch does not import."""

from __future__ import annotations

import os
import random
import subprocess
import sys

import pytest

import pbt_client
from conftest import REPOSITORY

try:
    import torch
except Exception as error:  # ImportError, or a broken install's OSError
    pytest.skip("torch does not import (%s): pbt_client.torch and examples/pytorch are not tested" % error,
                allow_module_level=True)

import pbt_client.torch as pbt_torch  # noqa: E402

EXAMPLE = REPOSITORY / "examples" / "pytorch"


def training_objects(seed: int):
    torch.manual_seed(seed)
    model = torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.Dropout(0.3), torch.nn.Linear(8, 1))
    optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
    scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=2, gamma=0.5)
    return model, optimizer, scheduler


def train(model, optimizer, scheduler, steps: int) -> None:
    for _ in range(steps):
        x = torch.randn(16, 4)
        loss = (model(x) - x.sum(dim=1, keepdim=True)).pow(2).mean()
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        scheduler.step()


def draws():
    """One number from each generator the helper saves."""
    import numpy

    return random.random(), float(numpy.random.rand()), torch.rand(1).item()


def test_a_restored_run_continues_exactly_as_the_saved_one(tmp_path):
    path = tmp_path / "checkpoint.pt"
    model, optimizer, scheduler = training_objects(seed=1)
    train(model, optimizer, scheduler, 3)
    pbt_torch.save(path, model=model, optimizer=optimizer, scheduler=scheduler, extra={"step": 3})
    train(model, optimizer, scheduler, 4)
    expected = [p.detach().clone() for p in model.parameters()]

    other, other_optimizer, other_scheduler = training_objects(seed=2)  # other weights and generators
    extra = pbt_torch.load(path, model=other, optimizer=other_optimizer, scheduler=other_scheduler)
    assert extra == {"step": 3}
    assert other_scheduler.last_epoch == 3 and other_optimizer.param_groups[0]["lr"] == 0.005
    train(other, other_optimizer, other_scheduler, 4)
    for mine, theirs in zip(expected, other.parameters()):
        assert torch.equal(mine, theirs)  # weights, Adam moments, schedule and dropout masks all restored

    pbt_torch.load(path, model=other, optimizer=other_optimizer, scheduler=other_scheduler)
    first = draws()
    pbt_torch.load(path, model=other, optimizer=other_optimizer, scheduler=other_scheduler)
    assert draws() == first != draws()  # random, numpy and torch restored to the saved point
    assert os.listdir(tmp_path) == ["checkpoint.pt"]
    assert set(torch.load(path, weights_only=True)["objects"]) == {"model", "optimizer", "scheduler"}


def test_load_names_what_does_not_match(tmp_path):
    path = tmp_path / "checkpoint.pt"
    model, optimizer, _ = training_objects(seed=1)
    pbt_torch.save(path, model=model, optimizer=optimizer)
    with pytest.raises(ValueError, match=r"holds \['model', 'optimizer'\]; given \['model'\]"):
        pbt_torch.load(path, model=model)
    pbt_torch.load(path, model=model, strict=False, rng=False)  # the weights alone
    with pytest.raises(ValueError, match=r"given \['model', 'scheduler'\]"):
        pbt_torch.load(path, model=model, scheduler=torch.optim.lr_scheduler.StepLR(optimizer, 1), strict=False)
    with pytest.raises(TypeError, match="scheduler=float has no state_dict"):
        pbt_torch.save(path, scheduler=0.5)
    torch.save({"weights": 1}, tmp_path / "other.pt")
    with pytest.raises(ValueError, match="was not written by pbt_client.torch.save"):
        pbt_torch.load(tmp_path / "other.pt")


def test_importing_the_client_does_not_import_torch():
    code = "import sys, pbt_client; assert 'torch' not in sys.modules, 'torch imported'"
    subprocess.run([sys.executable, "-c", code], check=True)


def test_the_pytorch_example_is_tuned_and_its_best_model_comes_out(workspace):
    config = {
        "name": "torch-digits",
        "workload": {"command": [sys.executable, str(EXAMPLE / "digits_cnn.py")], "timeout": 300, "max_failures": 0,
                     "env": {"OMP_NUM_THREADS": "1"}},
        "population": 2, "steps": 200, "interval": 50, "seed": 1,
        "exploit": {"strategy": "truncation", "fraction": 0.5},
        "explore": {"strategy": "perturb", "factors": [0.8, 1.2]},
        "hyperparameters": {
            "lr": {"loguniform": [0.01, 0.3]}, "momentum": {"uniform": [0.5, 0.95]},
            "weight_decay": {"loguniform": [1e-6, 1e-3]}, "dropout": {"uniform": [0.0, 0.3]},
        },
    }
    summary = pbt_client.run(config, workers=2, quiet=True)
    assert summary["best"]["score"] > 0.85, summary["best"]
    subprocess.run([pbt_client.find_pbt(), "checkpoint", "torch-digits", "--best", "--out", "best.pt"], check=True)
    sys.path.insert(0, str(EXAMPLE))
    try:
        import digits_cnn
    finally:
        sys.path.remove(str(EXAMPLE))
    net = digits_cnn.Net()
    digits_cnn.load(net, "best.pt")
    net.eval()
    _, (images, labels) = digits_cnn.load_digits()
    with torch.no_grad():
        accuracy = (net(images).argmax(dim=1) == labels).float().mean().item()
    assert accuracy == summary["best"]["score"]  # the stored weights are the ones that scored
