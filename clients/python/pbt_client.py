"""pbt_client — let swift-pbt tune a Python training script (protocol 1, docs/protocol.md).

No dependencies beyond the standard library. Write a class with five methods and call
``serve``; swift-pbt starts the script as a long-lived process and drives it over
stdin/stdout; one process trains one member at a time, and ``load`` may hand it another
member's state (``PBT_MEMBER`` then names that member)::

    import pbt_client

    class Model:
        def __init__(self, member, seed): ...          # build the model from the seed
        def set_hyperparameters(self, h): ...          # h: {"lr": 0.01, "activation": "relu"}
        def train(self, steps): ...                    # train `steps` steps
        def evaluate(self): return accuracy            # a finite float, higher is better
        def save(self, path): ...                      # write a file or a folder at `path`
        def load(self, path): ...                      # read what save wrote

    pbt_client.serve(Model, hyperparameters=["lr"])

Standard output belongs to the protocol: ``serve`` sends ``print`` (and anything written to
file descriptor 1) to standard error, which the engine keeps in the member's log file.
"""

import json
import math
import os
import sys
import traceback

PROTOCOL = 1
CAPABILITIES = ["train", "evaluate", "save", "load", "set_hyperparameters"]

__all__ = ["serve", "PROTOCOL", "CAPABILITIES"]


def serve(make, hyperparameters=None, name=None):
    """Answer the engine's requests until it sends ``shutdown`` or closes stdin.

    make: called as ``make(member, seed)``; returns the object that trains (see module doc).
    hyperparameters: optional list of the names the script reads; the engine refuses an
        experiment that tunes any other.
    name: optional program name for the engine's messages.
    """
    protocol_out = os.fdopen(os.dup(1), "w", buffering=1)
    os.dup2(2, 1)  # stray writes to fd 1 (C extensions, subprocesses) go to the log
    sys.stdout = sys.stderr
    model = None

    def reply(message):
        protocol_out.write(json.dumps(message, allow_nan=False) + "\n")
        protocol_out.flush()

    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        try:
            request = json.loads(line)
            kind = request.get("type")
            if kind == "hello":
                if PROTOCOL not in request.get("protocol", []):
                    raise ValueError("engine offers protocol %r; this client speaks %d" % (request.get("protocol"), PROTOCOL))
                model = make(request["member"], request["seed"])
                answer = {"type": "hello", "protocol": PROTOCOL, "capabilities": CAPABILITIES}
                if hyperparameters is not None:
                    answer["hyperparameters"] = list(hyperparameters)
                if name is not None:
                    answer["name"] = name
                reply(answer)
            elif kind == "set_hyperparameters":
                model.set_hyperparameters(request["hyperparameters"])
                reply({"type": "ok"})
            elif kind == "train":
                model.train(int(request["steps"]))
                reply({"type": "ok"})
            elif kind == "evaluate":
                score = float(model.evaluate())
                if not math.isfinite(score):
                    raise ValueError("evaluate() returned %r; scores must be finite" % score)
                reply({"type": "score", "score": score})
            elif kind == "save":
                model.save(request["path"])
                reply({"type": "saved", "path": request["path"]})
            elif kind == "load":
                if "member" in request:  # the process trains this member from now on
                    os.environ["PBT_MEMBER"] = str(request["member"])
                model.load(request["path"])
                reply({"type": "ok"})
            elif kind == "shutdown":
                break
            else:
                raise ValueError("unknown request type %r" % kind)
        except Exception as error:  # report it; the engine restarts the member
            traceback.print_exc(file=sys.stderr)
            reply({"type": "error", "message": "%s: %s" % (type(error).__name__, error)})
    protocol_out.close()
