"""The class API (``serve``) over the protocol, as the engine drives it."""

from __future__ import annotations

import json

from conftest import PROGRAMS


def test_a_session_answers_every_request_and_round_trips_a_checkpoint(program, tmp_path):
    counter = program(PROGRAMS / "counter.py")
    hello = counter.hello(member=2, seed=10)
    assert hello == {
        "type": "hello", "protocol": 1, "capabilities": ["train", "evaluate", "save", "load", "set_hyperparameters"],
        "hyperparameters": ["rate", "score"], "name": "counter",
    }
    assert counter.request({"type": "set_hyperparameters", "hyperparameters": {"rate": 0.5}}) == {"type": "ok"}
    assert counter.request({"type": "train", "steps": 4}) == {"type": "ok"}
    assert counter.request({"type": "evaluate"}) == {"type": "score", "score": 12.0}
    path = str(tmp_path / "save-1")
    assert counter.request({"type": "save", "path": path}) == {"type": "saved", "path": path}
    assert counter.request({"type": "train", "steps": 10}) == {"type": "ok"}
    assert counter.request({"type": "load", "path": path, "member": 3}) == {"type": "ok"}
    assert counter.request({"type": "evaluate"}) == {"type": "score", "score": 12.0}
    status, log = counter.finish()
    assert status == 0
    assert "made member 2" in log and "written to file descriptor 1" in log and "now member 3" in log


def test_failures_are_error_replies_and_the_program_goes_on(program):
    counter = program(PROGRAMS / "counter.py")
    counter.hello()
    counter.request({"type": "set_hyperparameters", "hyperparameters": {"rate": 1, "score": "nan"}})
    reply = counter.request({"type": "evaluate"})
    assert reply["type"] == "error" and "scores must be finite" in reply["message"]
    reply = counter.request({"type": "fly"})
    assert reply == {"type": "error", "message": "ValueError: unknown request type 'fly'"}
    reply = counter.request({"type": "train"})
    assert reply == {"type": "error", "message": "KeyError: 'steps'"}
    assert counter.request({"type": "train", "steps": 1}) == {"type": "ok"}
    status, log = counter.finish()
    assert status == 0 and "Traceback" in log


def test_an_engine_without_protocol_1_is_refused(program):
    counter = program(PROGRAMS / "counter.py")
    reply = counter.request({"type": "hello", "protocol": [2], "member": 0, "seed": 1, "experiment": "t"})
    assert reply == {"type": "error", "message": "ValueError: engine offers protocol [2]; this client speaks 1"}
    reply = counter.request({"type": "train", "steps": 1})
    assert reply == {"type": "error", "message": "ValueError: 'train' before hello"}


def test_end_of_input_ends_the_program(program):
    counter = program(PROGRAMS / "counter.py")
    counter.hello()
    counter.process.stdin.close()
    assert counter.process.wait(timeout=30) == 0
    assert json.loads(counter.process.stdout.read() or "null") is None  # nothing more on stdout
