"""Checkpoints of PyTorch training: modules, optimizers, schedulers and every generator, atomically.

``import pbt_client`` never imports torch; ``import pbt_client.torch`` does::

    import pbt_client.torch

    class Net:
        def save(self, path):
            pbt_client.torch.save(path, model=self.model, optimizer=self.optimizer,
                                  scheduler=self.scheduler, extra={"epoch": self.epoch})

        def load(self, path):
            extra = pbt_client.torch.load(path, model=self.model, optimizer=self.optimizer,
                                          scheduler=self.scheduler)
            self.epoch = extra["epoch"]

Any object with ``state_dict()`` and ``load_state_dict()`` can be named (a second model, a
``GradScaler``, an EMA); ``load`` must be given the same names ``save`` was. With ``rng=True``
(the default) the file also holds the state of Python's ``random``, numpy's global generator
(when numpy is installed), torch's CPU generator and every visible CUDA device's generator,
and ``load`` puts them back, so training after a ``load`` continues exactly as it would have
after the ``save``. The file is one ``torch.save`` archive: ``torch.load(path)["objects"]
["model"]`` is the model's ``state_dict``, for use outside PBT.
"""

from __future__ import annotations

import random
from typing import Any, Dict, Mapping, Optional, Protocol, Union

import torch

from ._state import PathLike, write_atomically

FORMAT = "pbt_client.torch/1"
"""The ``format`` entry of the files ``save`` writes."""

_MapLocation = Union[str, "torch.device", None]


class Stateful(Protocol):
    """What ``save`` and ``load`` take: a module, optimizer, scheduler or the like."""

    def state_dict(self) -> Dict[str, Any]: ...

    def load_state_dict(self, state_dict: Dict[str, Any]) -> Any: ...


def save(path: PathLike, /, *, extra: Optional[Mapping[str, Any]] = None, rng: bool = True, **objects: Stateful) -> None:
    """Write the objects' ``state_dict()``s, ``extra`` and the generators' states to ``path``.

    The file is written beside ``path``, synced and renamed into place, so ``path`` holds the
    old checkpoint or the whole new one, never part of one.

    Args:
        path: the file to write (the ``path`` of the engine's ``save`` request).
        extra: other values to keep (step counters, a numpy ``Generator``'s
            ``bit_generator.state``): numbers, texts, lists, dicts and tensors load with
            ``load``'s default ``weights_only=True``.
        rng: also save the generators' states.
        **objects: name → object with ``state_dict()``: ``model=``, ``optimizer=``,
            ``scheduler=``, ...

    Raises:
        TypeError: an object without ``state_dict`` (named in the message).
    """
    for name, value in objects.items():
        if not callable(getattr(value, "state_dict", None)):
            raise TypeError("pbt_client.torch.save: %s=%s has no state_dict()" % (name, type(value).__name__))
    checkpoint = {
        "format": FORMAT,
        "objects": {name: value.state_dict() for name, value in objects.items()},
        "extra": dict(extra or {}),
        "rng": rng_state() if rng else None,
    }
    write_atomically(path, lambda file: torch.save(checkpoint, file))


def load(
    path: PathLike,
    /,
    *,
    map_location: _MapLocation = "cpu",
    rng: bool = True,
    weights_only: bool = True,
    strict: bool = True,
    **objects: Stateful,
) -> Dict[str, Any]:
    """Restore the objects (and the generators) from a file ``save`` wrote; return its ``extra``.

    Args:
        path: the file (the ``path`` of the engine's ``load`` request).
        map_location: where tensors are read to before each object's ``load_state_dict``
            copies them to its own device (``cpu`` works whatever device saved them).
        rng: also restore the generators' states, if the file has them.
        weights_only: ``torch.load``'s safe unpickler; pass ``False`` for an ``extra`` holding
            other Python objects (only for files you trust).
        strict: the names must be those given to ``save``; ``False`` allows some of them
            (``load(path, model=net, strict=False, rng=False)`` for the weights alone).
        **objects: the names given to ``save``, each an object to load its state into.

    Raises:
        ValueError: the file was not written by ``save``, or does not hold the names given
            (or, with ``strict``, holds others too).
    """
    checkpoint = torch.load(path, map_location=map_location, weights_only=weights_only)
    if not isinstance(checkpoint, dict) or checkpoint.get("format") != FORMAT:
        raise ValueError("pbt_client.torch.load: %s was not written by pbt_client.torch.save" % (path,))
    saved = checkpoint["objects"]
    if not set(objects) <= set(saved) or (strict and set(saved) != set(objects)):
        raise ValueError(
            "pbt_client.torch.load: %s holds %s; given %s" % (path, sorted(saved) or "no objects", sorted(objects) or "none"))
    for name, value in objects.items():
        value.load_state_dict(saved[name])
    if rng and checkpoint["rng"] is not None:
        set_rng_state(checkpoint["rng"])
    extra: Dict[str, Any] = checkpoint["extra"]
    return extra


def rng_state() -> Dict[str, Any]:
    """The states of Python's ``random``, numpy's global generator, torch's CPU and CUDA generators."""
    state: Dict[str, Any] = {"python": random.getstate(), "numpy": None, "torch": torch.get_rng_state(), "cuda": []}
    try:
        import numpy
    except ImportError:
        pass
    else:
        saved: Any = numpy.random.get_state(legacy=False)  # as plain numbers, for weights_only loading
        state["numpy"] = {
            "bit_generator": saved["bit_generator"],
            "state": {"key": saved["state"]["key"].tolist(), "pos": int(saved["state"]["pos"])},
            "has_gauss": int(saved["has_gauss"]),
            "gauss": float(saved["gauss"]),
        }
    if torch.cuda.is_available():
        state["cuda"] = torch.cuda.get_rng_state_all()
    return state


def set_rng_state(state: Mapping[str, Any]) -> None:
    """Puts back what ``rng_state`` returned.

    numpy's state is restored when numpy is installed; CUDA states go to the visible devices in
    order, as many as both the file and this process have.
    """
    version, internal, gauss = state["python"]
    random.setstate((version, tuple(internal), gauss))
    if state["numpy"] is not None:
        try:
            import numpy
        except ImportError:
            pass
        else:
            saved = state["numpy"]
            key = numpy.array(saved["state"]["key"], dtype=numpy.uint32)
            numpy.random.set_state(dict(saved, state={"key": key, "pos": saved["state"]["pos"]}))
    torch.set_rng_state(state["torch"])
    if state["cuda"] and torch.cuda.is_available():
        for device, device_state in enumerate(state["cuda"][: torch.cuda.device_count()]):
            torch.cuda.set_rng_state(device_state, device)
