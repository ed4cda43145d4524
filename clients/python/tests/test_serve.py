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


def test_an_engine_without_a_common_protocol_is_refused(program):
    counter = program(PROGRAMS / "counter.py")
    reply = counter.request({"type": "hello", "protocol": [3], "member": 0, "seed": 1, "experiment": "t"})
    assert reply == {"type": "error", "message": "ValueError: engine offers protocol [3]; this client speaks [1, 2]"}
    reply = counter.request({"type": "train", "steps": 1})
    assert reply == {"type": "error", "message": "ValueError: 'train' before hello"}


def test_protocol_2_trains_until_the_time_budget_and_reports_the_steps_done(program):
    counter = program(PROGRAMS / "counter.py")
    assert counter.request({"type": "hello", "protocol": [1, 2], "member": 0, "seed": 0, "experiment": "t"})["protocol"] == 2
    counter.request({"type": "set_hyperparameters", "hyperparameters": {"rate": 1}})
    # A zero budget still trains one step; a long one stops at the steps asked.
    assert counter.request({"type": "train", "steps": 5, "seconds": 0}) == {"type": "ok", "steps": 1}
    assert counter.request({"type": "train", "steps": 5, "seconds": 3600}) == {"type": "ok", "steps": 5}
    # The steps reported are exactly the steps trained (each adds rate × 1 to the total).
    assert counter.request({"type": "evaluate"}) == {"type": "score", "score": 6.0}
    assert counter.request({"type": "train", "steps": 2}) == {"type": "ok"}
    assert counter.finish()[0] == 0


class _Clock:
    """``time.monotonic`` that moves one second per reading."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        self.now += 1.0
        return self.now


class _Steps:
    def __init__(self) -> None:
        self.done = 0

    def train(self, steps: int) -> None:
        self.done += steps


def test_the_time_budget_ends_training_between_steps(monkeypatch):
    from pbt_client import _serve

    monkeypatch.setattr(_serve.time, "monotonic", _Clock())
    model = _Steps()
    # The deadline is read at 1 + 3.5; each step reads the clock once more: 2, 3, 4, 5.
    assert _serve._train_for(model, 100, 3.5) == 4 and model.done == 4
    assert _serve._train_for(model, 2, 100) == 2 and model.done == 6

    class Custom(_Steps):
        def train_for(self, steps: int, seconds: float) -> int:
            return steps + 1  # one step too many: refused

    try:
        _serve._train_for(Custom(), 3, 1)
    except ValueError as error:
        assert "train_for(3, 1) returned 4; it must train 1 to 3 steps" in str(error)
    else:
        raise AssertionError("expected a refusal")


def test_end_of_input_ends_the_program(program):
    counter = program(PROGRAMS / "counter.py")
    counter.hello()
    counter.process.stdin.close()
    assert counter.process.wait(timeout=30) == 0
    assert json.loads(counter.process.stdout.read() or "null") is None  # nothing more on stdout
