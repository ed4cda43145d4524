"""Metrics beside the score: what ``evaluate`` may return, the replies it makes, and a run
whose metrics come back from ``read``."""

from __future__ import annotations

import math
import sys

import pytest

import pbt_client
from conftest import PROGRAMS, experiment
from pbt_client._metrics import MAXIMUM_METRICS, score_reply


def test_a_score_a_tuple_and_a_dict_make_the_same_reply():
    assert score_reply(0.5) == {"type": "score", "score": 0.5}
    assert score_reply((0.5, {"loss": 2})) == {"type": "score", "score": 0.5, "metrics": {"loss": 2.0}}
    assert score_reply({"score": 0.5, "loss": 2}) == {"type": "score", "score": 0.5, "metrics": {"loss": 2.0}}
    assert score_reply((1, {})) == {"type": "score", "score": 1.0}


@pytest.mark.parametrize("result, message", [
    ({"loss": 1.0}, "dict without 'score'"),
    ((1.0, 2.0), "not \\(score, \\{name: value"),
    ("0.5", "a score must be a finite number"),
    (math.nan, "scores must be finite"),
    ((1.0, {"score": 1.0}), "metric 'score' collides with a built-in field"),
    ((1.0, {"step": 1.0}), "metric 'step' collides"),
    ((1.0, {"member": 1.0}), "metric 'member' collides"),
    ((1.0, {"loss": math.inf}), "metric 'loss' is inf; a metric must be a finite number"),
    ((1.0, {"loss": math.nan}), "metric 'loss' is nan"),
    ((1.0, {"loss": "low"}), "metric 'loss' is not a number"),
    ((1.0, {"loss": True}), "metric 'loss' is not a number"),
    ((1.0, {"loss": None}), "metric 'loss' is not a number"),
    ((1.0, {"a b": 1.0}), "metric name 'a b' is not allowed: a name is 1 to 64 characters"),
    ((1.0, {"x" * 65: 1.0}), "is not allowed"),
    ((1.0, {"": 1.0}), "is not allowed"),
    ((1.0, {"m%d" % i: 1.0 for i in range(MAXIMUM_METRICS + 1)}), "65 metrics; at most 64"),
])
def test_bad_metrics_are_refused_naming_the_metric(result, message):
    with pytest.raises(ValueError, match=message):
        score_reply(result)


def test_a_program_replies_with_its_metrics(program):
    reports = program(PROGRAMS / "reports.py")
    reports.hello(member=0, seed=4)
    reports.request({"type": "set_hyperparameters", "hyperparameters": {"lr": 0.1, "batch": 2}})
    reports.request({"type": "train", "steps": 3})
    reply = reports.request({"type": "evaluate"})
    assert reply["type"] == "score" and set(reply["metrics"]) == {"distance", "train/steps", "x0"}
    assert reply["score"] == -reply["metrics"]["distance"] and reply["metrics"]["train/steps"] == 3.0
    reports.finish()


def test_metrics_are_recorded_and_read_back(workspace):
    pbt_client.run(experiment("reports", "reports.py", population=2, steps=10), workers=1, quiet=True)
    scores = pbt_client.read("reports", duplicates="all")
    assert scores and all(list(row)[-3:] == ["distance", "train/steps", "x0"] for row in scores)
    assert all(row["score"] == -row["distance"] and type(row["x0"]) is float for row in scores)
    assert all(row["train/steps"] == row["step"] for row in scores if row["step"] == 5)
    times = [row["time"] for row in scores]
    assert all(type(t) is float for t in times) and times == sorted(times)


@pytest.mark.parametrize("bad, message", [
    ("score", "metric 'score' collides with a built-in field"),
    ("lr", "metric 'lr' has the name of a hyperparameter"),
    ("text", "metric 'note' is not a number"),
])
def test_a_refused_metric_fails_the_run_with_its_name(workspace, bad, message):
    config = experiment("bad-" + bad, "reports.py", population=2, steps=10)
    config["workload"] = dict(config["workload"], command=[sys.executable, str(PROGRAMS / "reports.py"), "--bad", bad])
    with pytest.raises(pbt_client.PBTError) as failed:
        pbt_client.run(config, workers=1, quiet=True)
    assert message in failed.value.stderr, failed.value.stderr
