"""``run`` and ``read``: start experiments and read their results from Python, through ``pbt``."""

from __future__ import annotations

import copy
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
from typing import IO, Any, Dict, List, Mapping, Optional, Sequence, Union

from ._state import PathLike

Row = Dict[str, Any]

TABLES = ("scores", "events", "members")
"""What ``read`` can return: a row per score, per exploit or explore event, or per member."""

_FIXED_COLUMNS = {
    "scores": ("member", "step", "score", "time"),
    "events": ("sequence", "kind", "member", "step", "donor", "donor_step", "mutations", "explanation", "before", "time"),
    "members": ("member", "status", "step", "score", "initial_hyperparameters"),
}


class PBTError(RuntimeError):
    """The ``pbt`` binary was not found, or it exited with a failure.

    Attributes:
        command: the command line that ran, if one did.
        status: its exit status (3: every member failed; 1: an error; 64: bad arguments).
        stderr: what it wrote to standard error.
    """

    def __init__(self, message: str, command: Optional[Sequence[str]] = None, status: Optional[int] = None, stderr: str = ""):
        super().__init__(message)
        self.command = list(command) if command is not None else None
        self.status = status
        self.stderr = stderr


def find_pbt(pbt: Optional[PathLike] = None) -> str:
    """The path of the ``pbt`` binary to run.

    Looks at ``pbt`` (a path, or a name on ``PATH``) when given, else the environment variable
    ``PBT_BINARY``, else ``pbt`` on ``PATH``.

    Raises:
        PBTError: naming where it looked, when no executable is there.
    """
    if pbt is not None:
        wanted, origin = os.fspath(pbt), "the pbt argument"
    elif os.environ.get("PBT_BINARY"):
        wanted, origin = os.environ["PBT_BINARY"], "PBT_BINARY"
    else:
        wanted, origin = "pbt", "PATH"
    found = shutil.which(wanted)
    if found is None:
        hint = "build it with `swift build -c release --product pbt` and set PBT_BINARY=.build/release/pbt, or pass pbt="
        raise PBTError("no executable pbt binary at %r (from %s); %s" % (wanted, origin, hint))
    return os.path.abspath(found)


def run(
    config: Union[PathLike, Mapping[str, Any]],
    *,
    store: Optional[str] = None,
    workers: Optional[int] = None,
    pool: Optional[int] = None,
    seed: Optional[int] = None,
    quiet: bool = False,
    cwd: Optional[PathLike] = None,
    pbt: Optional[PathLike] = None,
) -> Dict[str, Any]:
    """Run an experiment to its end with ``pbt run`` (or resume it) and return its summary.

    Args:
        config: the path of an experiment file (relative to ``cwd``), or the same settings as
            a dict (as the YAML file would hold them). A dict's ``workload.command`` runs in ``cwd`` (or its own
            ``workload.cwd``, relative to ``cwd``), as if the file were there.
        store: ``--store``: ``sqlite:PATH`` or a ``postgres://`` URL (default ``runs/NAME.sqlite``
            in ``cwd``).
        workers: ``--workers`` (default: the number of cores); pool: ``--pool``; seed: ``--seed``.
        quiet: no progress; otherwise ``pbt``'s progress lines are copied to ``sys.stderr``
            (so they show in a notebook).
        cwd: the folder ``pbt`` runs in (default: the current one).
        pbt: the binary (default: ``PBT_BINARY``, else ``pbt`` on ``PATH``).

    Returns:
        ``pbt run --json``'s summary: ``experiment``, ``best`` (``member``, ``score``,
        ``hyperparameters``, ``schedule``), ``exploits``, ``explores``, ``members``.

    Raises:
        PBTError: the binary is missing, the file is refused, every member failed (status 3),
            or any other failure, with ``pbt``'s message.
        KeyboardInterrupt: after an interrupt, once ``pbt`` has written out its commits (a
            second interrupt stops it at once); run again to resume. (A ``pbt`` stopped by a
            signal from elsewhere is a ``PBTError`` with status 130.)
    """
    folder = os.path.abspath(os.fspath(cwd) if cwd is not None else os.getcwd())
    options: List[str] = ["--json"]
    for flag, value in (("--store", store), ("--workers", workers), ("--pool", pool), ("--seed", seed)):
        if value is not None:
            options += [flag, str(value)]
    if quiet:
        options.append("--quiet")
    if isinstance(config, Mapping):
        with tempfile.TemporaryDirectory(prefix="pbt-client-") as temporary:
            path = os.path.join(temporary, "experiment.yaml")
            with open(path, "w", encoding="utf-8") as file:
                json.dump(_anchored(config, folder), file)  # JSON is YAML
            output = _run_pbt(["run", path] + options, folder, pbt, relay=not quiet)
    else:
        output = _run_pbt(["run", os.path.join(folder, os.fspath(config))] + options, folder, pbt, relay=not quiet)
    summary: Dict[str, Any] = json.loads(output)
    return summary


def export(name: str, *, store: Optional[str] = None, cwd: Optional[PathLike] = None, pbt: Optional[PathLike] = None) -> Dict[str, Any]:
    """``pbt export NAME --format json``, parsed: ``experiment``, ``mode``, ``hyperparameter_names``,
    ``integer_hyperparameters``, ``metric_names``, ``members``, ``scores`` (in the order recorded,
    with ``metrics`` and ``time``) and ``events`` (with ``time``)."""
    folder = os.path.abspath(os.fspath(cwd) if cwd is not None else os.getcwd())
    arguments = ["export", name, "--format", "json"] + (["--store", store] if store is not None else [])
    document: Dict[str, Any] = json.loads(_run_pbt(arguments, folder, pbt, relay=False))
    return document


def read(
    name: str,
    table: str = "scores",
    *,
    duplicates: str = "last",
    as_frame: bool = False,
    store: Optional[str] = None,
    cwd: Optional[PathLike] = None,
    pbt: Optional[PathLike] = None,
) -> Any:
    """An experiment's scores, events or members as rows (dicts), or as a pandas DataFrame.

    Each row has the table's own columns, then one per hyperparameter (in force for a score,
    after the change for an event, current for a member); a hyperparameter named like one of
    the table's own columns is given as ``hyperparameter.NAME``. Scores then have one column
    per metric (``None`` where a score did not report it; ``metric.NAME`` for a name taken).
    ``time`` is when the store recorded a score or event, in seconds since 1970 (``None`` in
    stores written before swift-pbt kept it). Numbers are typed: ``int``
    for members, steps and ``int``-domain hyperparameters, ``float`` for scores and every other
    number; ``choice`` texts stay texts.

    Args:
        table: ``scores`` (``member, step, score, time``), ``events`` (``sequence, kind, member,
            step, donor, donor_step, mutations, explanation, before, time``) or ``members``
            (``member, status, step, score, initial_hyperparameters``).
        duplicates: for ``scores``. A member that copies a donor at an earlier step trains
            those steps again and scores them again, so (member, step) repeats after such an
            exploit. ``last`` (default) keeps the latest score of each (member, step): one row
            each, the slot's curve as it stands, ready for ``pivot``. ``all`` keeps every row,
            in the order recorded.
        as_frame: return a ``pandas.DataFrame`` with the same columns (needs pandas:
            ``pip install './clients/python[pandas]'``).
        store, cwd, pbt: as for ``run``.

    Raises:
        ValueError: an unknown ``table`` or ``duplicates``.
        ImportError: ``as_frame`` without pandas.
        PBTError: no such experiment or store, or no binary.
    """
    if table not in TABLES:
        raise ValueError("read: table must be one of %s, got %r" % (", ".join(TABLES), table))
    if duplicates not in ("last", "all"):
        raise ValueError("read: duplicates must be 'last' or 'all', got %r" % (duplicates,))
    if as_frame:
        try:
            import pandas
        except ImportError as error:
            raise ImportError("read(as_frame=True) needs pandas: pip install pandas (or './clients/python[pandas]')") from error
    document = export(name, store=store, cwd=cwd, pbt=pbt)
    rows = _rows(document, table)
    if table == "scores" and duplicates == "last":
        rows = _latest(rows)
    if not as_frame:
        return rows
    return pandas.DataFrame(rows, columns=_columns(document, table))


def _anchored(config: Mapping[str, Any], folder: str) -> Dict[str, Any]:
    """The config with a command workload's folder made absolute (relative to ``folder``)."""
    result = copy.deepcopy(dict(config))
    workload = result.get("workload")
    if isinstance(workload, Mapping) and "command" in workload:
        workload = dict(workload)
        workload["cwd"] = os.path.join(folder, str(workload.get("cwd", ".")))
        result["workload"] = workload
    return result


def _run_pbt(arguments: List[str], folder: str, pbt: Optional[PathLike], relay: bool) -> str:
    """Runs ``pbt arguments`` in ``folder``; returns its standard output, raises ``PBTError`` on failure."""
    command = [find_pbt(pbt)] + arguments
    process = subprocess.Popen(
        command, cwd=folder, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        start_new_session=True)  # an interrupt reaches pbt once, forwarded below
    assert process.stdout is not None and process.stderr is not None
    errors: List[str] = []
    relay_thread = threading.Thread(target=_relay, args=(process.stderr, errors, relay), daemon=True)
    relay_thread.start()
    try:
        output = process.stdout.read().decode("utf-8")
        process.wait()
    except KeyboardInterrupt:
        _stop(process)
        raise
    finally:
        relay_thread.join()
        process.stdout.close()
    stderr = "".join(errors)
    if process.returncode != 0:
        last = stderr.strip().splitlines()[-1] if stderr.strip() else "(no message)"
        raise PBTError(
            "pbt %s exited with status %d: %s" % (arguments[0], process.returncode, last), command, process.returncode, stderr)
    return output


def _relay(stream: IO[bytes], lines: List[str], echo: bool) -> None:
    """Reads ``stream`` to its end into ``lines``, copying each line to ``sys.stderr`` if ``echo``."""
    for raw in iter(stream.readline, b""):
        line = raw.decode("utf-8", errors="replace")
        lines.append(line)
        if echo:
            sys.stderr.write(line)
            sys.stderr.flush()
    stream.close()


def _stop(process: "subprocess.Popen[bytes]") -> None:
    """Forwards an interrupt to ``pbt`` and waits for it; a second interrupt makes it quit at once."""
    process.send_signal(signal.SIGINT)
    while True:
        try:
            process.wait()
            return
        except KeyboardInterrupt:
            process.send_signal(signal.SIGINT)


def _typed(value: Any, integer: bool) -> Any:
    """A hyperparameter value as Python should see it: int for ``int`` domains, else float or text."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return int(value) if integer and float(value).is_integer() else float(value)
    return value


def _columns(document: Mapping[str, Any], table: str) -> List[str]:
    fixed = _FIXED_COLUMNS[table]
    return list(fixed) + [_key(name, fixed) for name in document["hyperparameter_names"]] + _metric_columns(document, table)


def _metric_columns(document: Mapping[str, Any], table: str) -> List[str]:
    """The metric columns of ``table`` (scores only): a metric named like another column is ``metric.NAME``."""
    if table != "scores":
        return []
    taken = set(_FIXED_COLUMNS[table]) | set(document["hyperparameter_names"])
    return ["metric." + name if name in taken else name for name in document.get("metric_names", [])]


def _key(name: str, fixed: Sequence[str]) -> str:
    return "hyperparameter." + name if name in fixed else name


def _rows(document: Mapping[str, Any], table: str) -> List[Row]:
    """The export's records of ``table`` as flat rows, numbers typed."""
    integers = set(document.get("integer_hyperparameters", []))
    names = document["hyperparameter_names"]
    fixed = _FIXED_COLUMNS[table]

    def values(hyperparameters: Mapping[str, Any]) -> Row:
        return {_key(n, fixed): _typed(hyperparameters.get(n), n in integers) for n in names}

    def typed(hyperparameters: Mapping[str, Any]) -> Row:
        return {n: _typed(v, n in integers) for n, v in hyperparameters.items()}

    def time(record: Mapping[str, Any]) -> Optional[float]:
        return None if record.get("time") is None else float(record["time"])

    if table == "scores":
        metrics = list(zip(document.get("metric_names", []), _metric_columns(document, table)))
        return [
            {
                "member": s["member"], "step": s["step"], "score": float(s["score"]), "time": time(s),
                **values(s["hyperparameters"]),
                **{column: _typed(s.get("metrics", {}).get(name), False) for name, column in metrics},
            }
            for s in document["scores"]
        ]
    if table == "events":
        return [
            {
                "sequence": e["sequence"], "kind": e["kind"], "member": e["member"], "step": e["step"],
                "donor": e["donor"], "donor_step": e["donor_step"], "mutations": e["mutations"],
                "explanation": e.get("explanation"), "before": typed(e["before"]), "time": time(e),
                **values(e["after"]),
            }
            for e in document["events"]
        ]
    return [
        {
            "member": m["member"], "status": m["status"], "step": m["step"],
            "score": None if m.get("score") is None else float(m["score"]),
            "initial_hyperparameters": typed(m["initial_hyperparameters"]), **values(m["hyperparameters"]),
        }
        for m in document["members"]
    ]


def _latest(rows: List[Row]) -> List[Row]:
    """The last row of each (member, step), in the order recorded."""
    seen = set()
    kept = []
    for row in reversed(rows):
        key = (row["member"], row["step"])
        if key not in seen:
            seen.add(key)
            kept.append(row)
    kept.reverse()
    return kept
