"""``serve_functions``: the function API, for training code that keeps its state in a dict."""

from __future__ import annotations

from typing import Any, Callable, Dict, Generic, Iterable, Optional, TypeVar

from ._metrics import Evaluation
from ._serve import serve
from ._state import load_state, save_state

State = TypeVar("State")
Hyperparameters = Dict[str, Any]
"""What ``train`` gets: name → ``HyperparameterValue`` (a number, or a ``choice`` text)."""


def serve_functions(
    init: Callable[[int, int], State],
    train: Callable[[State, int, Hyperparameters], Optional[State]],
    evaluate: Callable[[State], Evaluation],
    *,
    save: Optional[Callable[[State, str], None]] = None,
    load: Optional[Callable[[State, str], Optional[State]]] = None,
    hyperparameters: Optional[Iterable[str]] = None,
    name: Optional[str] = None,
) -> None:
    """Serve the engine with three functions and a state the client saves and loads.

    Args:
        init: ``init(member, seed) -> state``: a fresh state made from ``seed`` (weights,
            optimizer state, generators; any value but ``None``). Called when a state is first
            needed and none was loaded.
        train: ``train(state, steps, hyperparameters) -> state``: train ``steps`` steps with
            the hyperparameters in force, which change after every exploit and explore. Return
            the new state, or ``None`` when ``state`` was changed in place.
        evaluate: ``evaluate(state) -> float``: the score, finite, higher is better (lower with
            ``mode: min``); or ``(score, {"name": value})`` or ``{"score": score, "name": value}``
            to record metrics beside it. It must not change later training: use a generator of
            its own.
        save: ``save(state, path)`` writes the state at ``path``; by default the state is
            pickled with ``save_state`` (temporary file, fsync, rename).
        load: ``load(state, path) -> state`` reads what ``save`` wrote into ``state``, a fresh
            ``init(member, seed)`` (for objects that load in place, such as torch modules);
            return the loaded state, or ``None`` when ``state`` was filled in place. By default
            the state is unpickled with ``load_state`` and ``init`` is not called.
        hyperparameters: the names ``train`` reads, if given; the engine refuses an experiment
            that tunes any other.
        name: a program name for the engine's messages.

    Everything training depends on must be in the state (generators included) for one
    worker and one seed to reproduce a run, and for an exploit to continue exactly as the
    donor would have.
    """
    if (save is None) != (load is None):
        raise ValueError("serve_functions: give both save and load, or neither (the default pickles the state)")

    def make(member: int, seed: int) -> _FunctionTrainable[State]:
        return _FunctionTrainable(member, seed, init, train, evaluate, save, load)

    serve(make, hyperparameters=hyperparameters, name=name)


class _FunctionTrainable(Generic[State]):
    """The class API's object, made of ``serve_functions``' functions."""

    def __init__(
        self,
        member: int,
        seed: int,
        init: Callable[[int, int], State],
        train: Callable[[State, int, Hyperparameters], Optional[State]],
        evaluate: Callable[[State], Evaluation],
        save: Optional[Callable[[State, str], None]],
        load: Optional[Callable[[State, str], Optional[State]]],
    ) -> None:
        self.member, self.seed = member, seed
        self.init, self.train_function, self.evaluate_function = init, train, evaluate
        self.save_function, self.load_function = save, load
        self.hyperparameters: Hyperparameters = {}
        self.state: Optional[State] = None

    def current(self) -> State:
        """The state, made by ``init`` if there is none yet."""
        if self.state is None:
            self.state = self.init(self.member, self.seed)
        return self.state

    def set_hyperparameters(self, hyperparameters: Hyperparameters) -> None:
        self.hyperparameters = dict(hyperparameters)

    def train(self, steps: int) -> None:
        trained = self.train_function(self.current(), steps, dict(self.hyperparameters))
        if trained is not None:
            self.state = trained

    def evaluate(self) -> Evaluation:
        return self.evaluate_function(self.current())

    def save(self, path: str) -> None:
        if self.save_function is None:
            save_state(path, self.current())
        else:
            self.save_function(self.current(), path)

    def load(self, path: str) -> None:
        if self.load_function is None:
            self.state = load_state(path)
            return
        fresh = self.init(self.member, self.seed)
        loaded = self.load_function(fresh, path)
        self.state = fresh if loaded is None else loaded

