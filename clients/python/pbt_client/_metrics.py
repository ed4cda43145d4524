"""What ``evaluate`` may return: a score, or a score with named metrics (docs/protocol.md)."""

from __future__ import annotations

import math
import re
from numbers import Real
from typing import Any, Dict, Mapping, Tuple, Union

Evaluation = Union[float, Tuple[float, Mapping[str, float]], Mapping[str, float]]
"""``evaluate``'s result: the score; ``(score, {"name": value, ...})``; or a dict with the
key ``"score"`` and the metrics beside it, ``{"score": 0.91, "train_loss": 0.3}``."""

MAXIMUM_METRICS = 64
"""The most metrics one score may carry."""

MAXIMUM_NAME_LENGTH = 64
"""The longest metric name, in characters."""

RESERVED_NAMES = frozenset({
    "score", "step", "member", "time", "kind", "sequence", "donor", "donor_step", "mutations", "hyperparameters",
    "metrics", "experiment", "status",
})
"""Names a metric may not have: the fields of scores and events in exports, the API and TensorBoard."""

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_./-]{0,%d}" % (MAXIMUM_NAME_LENGTH - 1))
RULES = ("a name is 1 to %d characters: a letter or '_' first, then letters, digits, '_', '.', '/' or '-'"
         % MAXIMUM_NAME_LENGTH)


def score_reply(result: Any) -> Dict[str, Any]:
    """The ``score`` reply for what ``evaluate`` returned, checked as the engine checks it.

    Raises:
        ValueError: naming the score or the metric that is not allowed, and what is.
    """
    metrics: Mapping[str, Any] = {}
    if isinstance(result, Mapping):
        if "score" not in result:
            raise ValueError("evaluate() returned a dict without 'score' (got keys %s); return "
                             "{'score': value, 'metric': value, ...}" % sorted(map(str, result)))
        score = result["score"]
        metrics = {name: value for name, value in result.items() if name != "score"}
    elif isinstance(result, tuple):
        if len(result) != 2 or not isinstance(result[1], Mapping):
            raise ValueError("evaluate() returned a tuple that is not (score, {name: value, ...})")
        score, metrics = result
    else:
        score = result
    if isinstance(score, bool) or not isinstance(score, Real):
        raise ValueError("evaluate() returned the score %r; a score must be a finite number" % (score,))
    score = float(score)
    if not math.isfinite(score):
        raise ValueError("evaluate() returned %r; scores must be finite" % score)
    reply: Dict[str, Any] = {"type": "score", "score": score}
    if metrics:
        reply["metrics"] = checked_metrics(metrics)
    return reply


def checked_metrics(metrics: Mapping[str, Any]) -> Dict[str, float]:
    """``metrics`` as floats, after the engine's checks (names, reserved names, finite numbers, count).

    Raises:
        ValueError: naming the first metric that is not allowed, and what is.
    """
    if len(metrics) > MAXIMUM_METRICS:
        raise ValueError("%d metrics; at most %d are allowed per score" % (len(metrics), MAXIMUM_METRICS))
    checked: Dict[str, float] = {}
    for name in sorted(metrics, key=str):
        value = metrics[name]
        if not isinstance(name, str) or not _NAME.fullmatch(name):
            raise ValueError("metric name %r is not allowed: %s" % (name, RULES))
        if name in RESERVED_NAMES:
            raise ValueError("metric %r collides with a built-in field; reserved: %s"
                             % (name, ", ".join(sorted(RESERVED_NAMES))))
        if hasattr(value, "item") and callable(value.item):  # numpy and torch scalars
            value = value.item()
        if isinstance(value, bool) or not isinstance(value, Real):
            raise ValueError("metric %r is not a number (%r); a metric must be a finite number" % (name, value))
        if not math.isfinite(float(value)):
            raise ValueError("metric %r is %r; a metric must be a finite number" % (name, float(value)))
        checked[name] = float(value)
    return checked
