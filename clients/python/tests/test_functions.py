"""The function API (``serve_functions``): the state is saved and loaded by the client."""

from __future__ import annotations

import os
import pickle

import pytest

import pbt_client
from conftest import PROGRAMS

H = {"type": "set_hyperparameters", "hyperparameters": {"lr": 0.1, "batch": 3}}


def score(session):
    reply = session.request({"type": "evaluate"})
    assert reply["type"] == "score", reply
    return reply["score"]


def test_a_loaded_state_trains_on_exactly_as_the_saved_one(program, tmp_path):
    first = program(PROGRAMS / "climb.py")
    assert first.hello(seed=11)["hyperparameters"] == ["lr", "batch"]
    first.request(H)
    first.request({"type": "train", "steps": 5})
    path = str(tmp_path / "save-1")
    assert first.request({"type": "save", "path": path}) == {"type": "saved", "path": path}
    first.request({"type": "train", "steps": 7})
    after_twelve = score(first)

    second = program(PROGRAMS / "climb.py")
    second.hello(member=1, seed=99)  # another seed: everything must come from the file
    assert second.request({"type": "load", "path": path, "member": 0}) == {"type": "ok"}
    second.request(H)
    second.request({"type": "train", "steps": 7})
    assert score(second) == after_twelve  # weights and generator restored, bit for bit

    with open(path, "rb") as file:
        assert pickle.load(file)["steps"] == 5
    assert [name for name in os.listdir(tmp_path) if name != "save-1"] == []  # no temporary file left


def test_the_same_seed_gives_the_same_run_and_another_seed_another(program):
    scores = []
    for seed in (5, 5, 6):
        session = program(PROGRAMS / "climb.py")
        session.hello(seed=seed)
        session.request(H)
        session.request({"type": "train", "steps": 3})
        scores.append(score(session))
    assert scores[0] == scores[1] != scores[2]


def test_custom_save_and_load_get_a_fresh_state_to_fill(program, tmp_path):
    session = program(PROGRAMS / "inplace.py")
    session.hello(seed=2)
    session.request({"type": "set_hyperparameters", "hyperparameters": {"lr": 1.0}})
    session.request({"type": "train", "steps": 3})
    path = str(tmp_path / "save-1")
    session.request({"type": "save", "path": path})
    session.request({"type": "train", "steps": 4})
    assert score(session) == 9.0
    session.request({"type": "load", "path": path, "member": 0})
    assert score(session) == 5.0
    status, log = session.finish()
    assert status == 0 and log.count("init") == 2  # once for training, once for the load to fill


def test_save_without_load_is_refused():
    with pytest.raises(ValueError, match="give both save and load"):
        pbt_client.serve_functions(lambda m, s: {}, lambda s, n, h: s, lambda s: 0.0, save=lambda s, p: None)


def test_state_files_are_replaced_whole_or_not_at_all(tmp_path):
    path = tmp_path / "state.pkl"
    pbt_client.save_state(path, {"a": 1})

    def broken(file):
        file.write(b"half a checkpoint")
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        pbt_client.write_atomically(path, broken)
    assert pbt_client.load_state(path) == {"a": 1}
    assert os.listdir(tmp_path) == ["state.pkl"]
    pbt_client.save_state(path, {"a": 2})
    assert pbt_client.load_state(path) == {"a": 2}
