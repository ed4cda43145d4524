"""``run``, ``read`` and ``export`` against the real ``pbt`` binary and real training programs."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from collections import Counter

import pytest

import pbt_client
from conftest import PROGRAMS, REPOSITORY, experiment


def test_a_dict_config_trains_the_program_and_reads_back_typed(workspace):
    summary = pbt_client.run(experiment("climb", "climb.py"), workers=2, quiet=True)
    assert summary["experiment"] == "climb" and summary["exploits"] > 0
    assert summary["best"]["score"] > -0.5, "the climb gets near its target"
    assert (workspace / "runs" / "climb.sqlite").exists()

    members = pbt_client.read("climb", "members")
    assert [m["member"] for m in members] == [0, 1, 2, 3]
    assert all(m["status"] == "done" and m["step"] == 40 for m in members)
    scores = pbt_client.read("climb", duplicates="all")
    assert {r["member"] for r in scores} == {0, 1, 2, 3}  # (a copy from a donor ahead skips ready points)
    assert all(r["step"] % 5 == 0 and 5 <= r["step"] <= 40 for r in scores), "scores at ready points"
    for row in scores:
        assert list(row) == ["member", "step", "score", "time", "batch", "lr"]
        assert type(row["time"]) is float and row["time"] > 1.7e9, row
        assert type(row["member"]) is int and type(row["step"]) is int and type(row["score"]) is float
        assert type(row["batch"]) is int and 1 <= row["batch"] <= 8, row  # an int domain
        assert type(row["lr"]) is float and 0.01 <= row["lr"] <= 0.5, row
    events = pbt_client.read("climb", "events")
    exploits = [e for e in events if e["kind"] == "exploit"]
    assert len(exploits) == summary["exploits"]
    assert all(e["donor"] != e["member"] and e["mutations"] for e in exploits)
    assert all(type(e["batch"]) is int and type(e["before"]["batch"]) is int for e in exploits)


def test_a_dict_config_resumes_and_its_command_runs_in_cwd(workspace):
    config = experiment("relative", "climb.py", population=2, steps=10)
    config["workload"] = dict(config["workload"], command=[sys.executable, "climb.py"])
    store = "sqlite:%s" % (workspace / "relative.sqlite")
    first = pbt_client.run(config, store=store, workers=1, quiet=True, cwd=PROGRAMS)
    again = pbt_client.run(config, store=store, workers=1, quiet=True, cwd=PROGRAMS)  # resumes: nothing left to do
    assert first["members"] == again["members"]
    assert not (PROGRAMS / "runs").exists()


def test_read_keeps_the_latest_score_of_each_member_and_step(workspace):
    pbt_client.run(REPOSITORY / "examples" / "quadratic.yaml", workers=1, quiet=True)
    every = pbt_client.read("quadratic-pbt", duplicates="all")
    latest = pbt_client.read("quadratic-pbt")
    repeated = [key for key, count in Counter((r["member"], r["step"]) for r in every).items() if count > 1]
    assert repeated, "this seed copies from behind: some (member, step) is scored twice"
    assert len(latest) == len(every) - sum(
        count - 1 for count in Counter((r["member"], r["step"]) for r in every).values())
    last_of = {(r["member"], r["step"]): r for r in every}  # later rows overwrite earlier ones
    assert latest == [r for r in every if last_of[(r["member"], r["step"])] is r]
    assert {(r["member"], r["step"]) for r in latest} == set(last_of)

    export = subprocess.run(
        [pbt_client.find_pbt(), "export", "quadratic-pbt", "--format", "csv"], capture_output=True, text=True, check=True)
    csv_scores = [row for row in csv.DictReader(io.StringIO(export.stdout)) if row["kind"] == "score"]
    assert [(int(r["member"]), int(r["step"]), float(r["score"])) for r in csv_scores] == [
        (r["member"], r["step"], r["score"]) for r in every]


def test_a_relative_binary_path_works_from_another_cwd(workspace, tmp_path_factory):
    (workspace / "bin").mkdir()
    (workspace / "bin" / "pbt").symlink_to(pbt_client.find_pbt())
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    summary = pbt_client.run(REPOSITORY / "examples" / "quadratic.yaml", pbt="bin/pbt", cwd=elsewhere, quiet=True)
    assert summary["experiment"] == "quadratic-pbt" and (elsewhere / "runs" / "quadratic-pbt.sqlite").exists()


def test_failures_are_errors_naming_what_went_wrong(workspace):
    with pytest.raises(pbt_client.PBTError, match="no executable pbt binary at '/nowhere/pbt' \\(from the pbt argument\\)"):
        pbt_client.run("x.yaml", pbt="/nowhere/pbt")
    with pytest.raises(pbt_client.PBTError, match="no store at 'runs/absent.sqlite'") as missing:
        pbt_client.read("absent")
    assert missing.value.status == 1 and "absent" in missing.value.stderr
    with pytest.raises(pbt_client.PBTError, match="population") as refused:
        pbt_client.run(experiment("refused", "climb.py", population=0), quiet=True)
    assert refused.value.status == 1 and refused.value.command[1] == "run"
    with pytest.raises(pbt_client.PBTError, match="status 3") as failed:
        pbt_client.run(experiment("failing", "fails.py", population=2), workers=1, quiet=True)
    assert failed.value.status == 3 and "failed" in failed.value.stderr
    with pytest.raises(ValueError, match="table must be one of scores, events, members, got 'score'"):
        pbt_client.read("climb", "score")
    with pytest.raises(ValueError, match="duplicates must be 'last' or 'all', got 'first'"):
        pbt_client.read("climb", duplicates="first")


def test_without_pandas_as_frame_says_what_to_install(workspace, monkeypatch):
    monkeypatch.setitem(sys.modules, "pandas", None)  # import pandas now fails
    with pytest.raises(ImportError, match="needs pandas: pip install pandas"):
        pbt_client.read("anything", as_frame=True)


def test_as_frame_and_the_readme_pandas_snippet_on_a_real_export(workspace):
    pandas = pytest.importorskip("pandas", reason="pandas is not installed: the DataFrame checks are skipped")
    pbt_client.run(REPOSITORY / "examples" / "quadratic.yaml", workers=1, quiet=True)
    frame = pbt_client.read("quadratic-pbt", as_frame=True)
    assert list(frame.columns) == ["member", "step", "score", "time", "h0", "h1", "q_hat", "theta0", "theta1"]
    assert frame["member"].dtype.kind == "i" and frame["score"].dtype.kind == "f"
    curves = frame.pivot(index="step", columns="member", values="score")  # no duplicate to refuse
    assert curves.shape == (50, 2)

    # README: "take the latest row of each (member, step) when pivoting"
    subprocess.run([pbt_client.find_pbt(), "export", "quadratic-pbt", "--format", "csv", "--output", "q.csv"], check=True)
    df = pandas.read_csv("q.csv")
    readme = df[df.kind == "score"].pivot_table(index="step", columns="member", values="score", aggfunc="last")
    pandas.testing.assert_frame_equal(readme, curves, check_names=False)
    empty = pbt_client.read("quadratic-pbt", "members", as_frame=True).iloc[0:0]
    assert list(empty.columns) == ["member", "status", "step", "score", "initial_hyperparameters", "h0", "h1"]
