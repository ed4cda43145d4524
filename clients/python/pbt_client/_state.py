"""Atomic checkpoint files: written beside their final path, synced, then renamed into place."""

from __future__ import annotations

import os
import pickle
import tempfile
from typing import IO, Any, Callable, Union

PathLike = Union[str, "os.PathLike[str]"]


def write_atomically(path: PathLike, write: Callable[[IO[bytes]], None]) -> None:
    """Write a file at ``path`` so that a reader sees the old file or the whole new one, never part.

    ``write`` gets a binary file in ``path``'s folder; once it returns, the file is flushed,
    synced to disk and renamed to ``path`` (replacing a file there), and on POSIX the folder
    is synced so the rename survives a crash. If ``write`` raises, the temporary file is removed
    and ``path`` is untouched.
    """
    path = os.fspath(path)
    folder = os.path.dirname(os.path.abspath(path))
    descriptor, temporary = tempfile.mkstemp(dir=folder, prefix="." + os.path.basename(path) + ".", suffix=".tmp")
    try:
        with os.fdopen(descriptor, "wb") as file:
            write(file)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.remove(temporary)
        raise
    if os.name == "posix":
        folder_descriptor = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(folder_descriptor)
        finally:
            os.close(folder_descriptor)


def save_state(path: PathLike, state: Any) -> None:
    """Pickle ``state`` (a dict of numpy arrays, numbers, generators, ...) to ``path`` atomically."""
    write_atomically(path, lambda file: pickle.dump(state, file, protocol=pickle.HIGHEST_PROTOCOL))


def load_state(path: PathLike) -> Any:
    """The state ``save_state`` wrote at ``path``.

    Unpickling runs code named in the file: load only checkpoints your own program wrote
    (the engine hands back exactly what the program saved, verified by its SHA-256).
    """
    with open(path, "rb") as file:
        return pickle.load(file)
