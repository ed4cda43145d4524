"""pbt_client — let swift-pbt tune a Python training script, and run and read experiments.

No dependencies beyond the standard library (``pbt_client.torch`` needs torch; ``read(...,
as_frame=True)`` needs pandas). Install with ``pip install ./clients/python``; scripts that put
``clients/python`` on ``sys.path`` import it without installing.

**Class API.** Write a class with five methods and call ``serve``; swift-pbt starts the script
as a long-lived process and drives it over stdin/stdout (protocol 1, docs/protocol.md); one
process trains one member at a time, and ``load`` may hand it another member's state
(``PBT_MEMBER`` then names that member)::

    import pbt_client

    class Model:
        def __init__(self, member, seed): ...          # build the model from the seed
        def set_hyperparameters(self, h): ...          # h: {"lr": 0.01, "activation": "relu"}
        def train(self, steps): ...                    # train `steps` steps
        def evaluate(self): return accuracy            # a finite float, higher is better, or
                                                       # (accuracy, {"train_loss": loss}) with metrics
        def save(self, path): ...                      # write a file or a folder at `path`
        def load(self, path): ...                      # read what save wrote

    pbt_client.serve(Model, hyperparameters=["lr"])

**Function API.** Keep everything in a state (a dict of arrays, numbers and generators) and
let the client pickle it atomically::

    def init(member, seed):
        rng = np.random.default_rng(seed)
        return {"w": rng.normal(size=10), "rng": rng}

    def train(state, steps, h):                        # h changes at exploits and explores
        for _ in range(steps): state["w"] -= h["lr"] * gradient(state["w"], state["rng"])

    def evaluate(state): return -loss(state["w"])

    pbt_client.serve_functions(init, train, evaluate, hyperparameters=["lr"])

**PyTorch.** ``pbt_client.torch.save(path, model=..., optimizer=..., scheduler=...)`` and
``load`` keep model, optimizer, scheduler and every generator's state (``random``, numpy,
torch CPU and CUDA) in one file written atomically.

**Run and read experiments** (from a script or a notebook; needs the ``pbt`` binary:
``PBT_BINARY``, ``pbt`` on ``PATH``, or ``pbt=``)::

    summary = pbt_client.run("examples/python/digits.yaml", workers=2)
    scores = pbt_client.read("python-digits", as_frame=True)     # one row per (member, step)
    scores.pivot(index="step", columns="member", values="score").plot()

Standard output belongs to the protocol: ``serve`` sends ``print`` (and anything written to
file descriptor 1) to standard error, which the engine keeps in the member's log file.
"""

from ._functions import serve_functions
from ._metrics import Evaluation
from ._launcher import TABLES, PBTError, export, find_pbt, read, run
from ._serve import CAPABILITIES, PROTOCOL, HyperparameterValue, Trainable, serve
from ._state import load_state, save_state, write_atomically

__version__ = "0.1.0"

__all__ = [
    "CAPABILITIES",
    "Evaluation",
    "PROTOCOL",
    "TABLES",
    "HyperparameterValue",
    "PBTError",
    "Trainable",
    "export",
    "find_pbt",
    "load_state",
    "read",
    "run",
    "save_state",
    "serve",
    "serve_functions",
    "write_atomically",
]
