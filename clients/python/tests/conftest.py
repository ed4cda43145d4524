"""Shared fixtures: the protocol driver, the repository's folders and the ``pbt`` binary."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any, Dict, Iterator, List

import pytest

import pbt_client

PROGRAMS = Path(__file__).parent / "programs"
"""Small training programs the tests run."""

REPOSITORY = Path(__file__).resolve().parents[3]
"""The swift-pbt checkout these tests live in."""


class Program:
    """A program started as the engine starts it, driven one request at a time."""

    def __init__(self, script: Path, *arguments: str) -> None:
        self.process = subprocess.Popen(
            [sys.executable, str(script), *arguments], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, text=True)

    def request(self, message: Dict[str, Any]) -> Dict[str, Any]:
        """Sends one request and returns the reply."""
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(json.dumps(message) + "\n")
        self.process.stdin.flush()
        line = self.process.stdout.readline()
        assert line, "the program closed its output; its log:\n" + self.finish()[1]
        return json.loads(line)

    def hello(self, member: int = 0, seed: int = 7) -> Dict[str, Any]:
        return self.request({"type": "hello", "protocol": [1], "member": member, "seed": seed, "experiment": "t"})

    def finish(self) -> tuple[int, str]:
        """Sends ``shutdown``, waits, and returns the exit status and standard error."""
        assert self.process.stdin is not None and self.process.stderr is not None
        if not self.process.stdin.closed:
            try:
                self.process.stdin.write(json.dumps({"type": "shutdown"}) + "\n")
                self.process.stdin.close()
            except BrokenPipeError:
                pass
        stderr = self.process.stderr.read()
        self.process.wait(timeout=60)
        return self.process.returncode, stderr


@pytest.fixture
def program() -> Iterator[Any]:
    """Starts programs by script path (``program(PROGRAMS / "x.py")``); stops them afterwards."""
    started: List[Program] = []

    def start(script: Path, *arguments: str) -> Program:
        started.append(Program(script, *arguments))
        return started[-1]

    yield start
    for each in started:
        if each.process.poll() is None:
            each.process.kill()
            each.process.wait()
        for stream in (each.process.stdin, each.process.stdout, each.process.stderr):
            if stream is not None:
                stream.close()


@pytest.fixture(scope="session")
def pbt_binary() -> str:
    """The ``pbt`` binary (``PBT_BINARY`` or ``pbt`` on ``PATH``); skips the test without one."""
    try:
        return pbt_client.find_pbt()
    except pbt_client.PBTError as error:
        pytest.skip("no pbt binary: %s" % error)


@pytest.fixture
def workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pbt_binary: str) -> Path:
    """An empty folder that is the current one, with the binary found."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


def experiment(name: str, program: str, **settings: Any) -> Dict[str, Any]:
    """A small experiment of a test program (in ``PROGRAMS``) with this interpreter."""
    config: Dict[str, Any] = {
        "name": name,
        "workload": {"command": [sys.executable, str(PROGRAMS / program)], "timeout": 60, "max_failures": 0},
        "population": 4,
        "steps": 40,
        "interval": 5,
        "seed": 3,
        "exploit": {"strategy": "truncation", "fraction": 0.25},
        "explore": {"strategy": "perturb", "factors": [0.8, 1.2]},
        "hyperparameters": {"lr": {"loguniform": [0.01, 0.5]}, "batch": {"int": [1, 8]}},
    }
    config.update(settings)
    return config


os.environ.setdefault("OMP_NUM_THREADS", "1")
