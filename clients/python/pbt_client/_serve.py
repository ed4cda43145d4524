"""The protocol loop behind ``serve``: one JSON request per line in, one reply per line out."""

from __future__ import annotations

import json
import os
import sys
import time
import traceback
from typing import Any, Callable, Dict, Iterable, Mapping, Optional, Protocol, TextIO, Union

from ._metrics import Evaluation, score_reply

PROTOCOL = 2
"""The newest protocol version this client speaks (docs/protocol.md); it answers ``hello`` with
the newest version the engine also offers (1 with an engine that offers only 1)."""

PROTOCOLS = (1, 2)
"""Every version this client speaks: 2 adds a time budget (``seconds``) to ``train``."""

CAPABILITIES = ["train", "evaluate", "save", "load", "set_hyperparameters"]
"""What a program can do; all of them are required (versions 1 and 2)."""

HyperparameterValue = Union[float, int, str]
"""A hyperparameter as the engine sends it: a number or a text (a ``choice`` option)."""


class Trainable(Protocol):
    """What ``serve`` drives: the object ``make(member, seed)`` returns."""

    def set_hyperparameters(self, hyperparameters: Dict[str, Any]) -> None:
        """Use these values (name → ``HyperparameterValue``) from now on; sent before the first
        ``train`` and after every exploit, explore and ``load``."""

    def train(self, steps: int) -> None:
        """Train ``steps`` steps (at least 1).

        With ``interval: {seconds: S}`` the engine sends a time budget; ``serve`` then calls
        ``train(1)`` until the budget is spent (at least once, at most ``steps`` times) and
        reports how many steps that was. An object may instead define
        ``train_for(steps, seconds) -> int``: train until ``seconds`` have passed (at least one
        step, at most ``steps``) and return the steps done."""

    def evaluate(self) -> Evaluation:
        """The score: finite, higher is better (lower with ``mode: min``); or the score with
        named metrics recorded beside it, as ``(score, {"train_loss": 0.3})`` or
        ``{"score": score, "train_loss": 0.3}`` (finite numbers; names as in ``_metrics.RULES``,
        not ``score``, ``step``, ``member``, ``time`` or another reserved name)."""

    def save(self, path: str) -> None:
        """Write everything training depends on as a file or a folder at ``path``."""

    def load(self, path: str) -> None:
        """Replace the whole state with what ``save`` wrote at ``path``."""


def serve(
    make: Callable[[int, int], Trainable],
    hyperparameters: Optional[Iterable[str]] = None,
    name: Optional[str] = None,
) -> None:
    """Answer the engine's requests until it sends ``shutdown`` or closes standard input.

    Standard output belongs to the protocol: from here on ``print`` (and anything written to
    file descriptor 1) goes to standard error, which the engine keeps in the member's log file.
    A method that raises is reported to the engine as an ``error`` reply (the traceback goes to
    the log) and the member restarts from its last checkpoint.

    Args:
        make: called as ``make(member, seed)`` after ``hello``; returns the object that trains.
        hyperparameters: the names the script reads, if given; the engine refuses an experiment
            that tunes any other.
        name: a program name for the engine's messages.
    """
    protocol_out = os.fdopen(os.dup(1), "w", buffering=1)
    os.dup2(2, 1)  # stray writes to fd 1 (C extensions, subprocesses) go to the log
    sys.stdout = sys.stderr
    names = None if hyperparameters is None else list(hyperparameters)
    model: Optional[Trainable] = None
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        try:
            request = json.loads(line)
            if request.get("type") == "shutdown":
                break
            model, answer = _answer(request, model, make, names, name)
            _reply(protocol_out, answer)
        except Exception as error:  # report it; the engine restarts the member
            traceback.print_exc(file=sys.stderr)
            _reply(protocol_out, {"type": "error", "message": "%s: %s" % (type(error).__name__, error)})
    protocol_out.close()


def _reply(out: TextIO, message: Mapping[str, Any]) -> None:
    out.write(json.dumps(message, allow_nan=False) + "\n")
    out.flush()


def _answer(
    request: Mapping[str, Any],
    model: Optional[Trainable],
    make: Callable[[int, int], Trainable],
    hyperparameters: Optional[list[str]],
    name: Optional[str],
) -> tuple[Optional[Trainable], dict[str, Any]]:
    """Carries out one request; returns the (possibly new) model and the reply."""
    kind = request.get("type")
    if kind == "hello":
        common = [version for version in PROTOCOLS if version in request.get("protocol", [])]
        if not common:
            raise ValueError("engine offers protocol %r; this client speaks %r" % (request.get("protocol"), list(PROTOCOLS)))
        answer: dict[str, Any] = {"type": "hello", "protocol": max(common), "capabilities": CAPABILITIES}
        if hyperparameters is not None:
            answer["hyperparameters"] = hyperparameters
        if name is not None:
            answer["name"] = name
        return make(request["member"], request["seed"]), answer
    if model is None:
        raise ValueError("%r before hello" % kind)
    if kind == "set_hyperparameters":
        model.set_hyperparameters(request["hyperparameters"])
        return model, {"type": "ok"}
    if kind == "train":
        steps = int(request["steps"])
        if "seconds" not in request:
            model.train(steps)
            return model, {"type": "ok"}
        return model, {"type": "ok", "steps": _train_for(model, steps, float(request["seconds"]))}
    if kind == "evaluate":
        return model, score_reply(model.evaluate())
    if kind == "save":
        model.save(request["path"])
        return model, {"type": "saved", "path": request["path"]}
    if kind == "load":
        if "member" in request:  # the process trains this member from now on
            os.environ["PBT_MEMBER"] = str(request["member"])
        model.load(request["path"])
        return model, {"type": "ok"}
    raise ValueError("unknown request type %r" % kind)


def _train_for(model: Trainable, steps: int, seconds: float) -> int:
    """Trains until ``seconds`` have passed (at least one step, at most ``steps``); the steps done."""
    custom = getattr(model, "train_for", None)
    if custom is not None:
        done = int(custom(steps, seconds))
        if not 1 <= done <= steps:
            raise ValueError("train_for(%d, %r) returned %d; it must train 1 to %d steps" % (steps, seconds, done, steps))
        return done
    deadline = time.monotonic() + seconds
    done = 0
    while True:
        model.train(1)
        done += 1
        if done >= steps or time.monotonic() >= deadline:
            return done
