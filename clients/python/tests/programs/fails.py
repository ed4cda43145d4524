"""A program whose every evaluation fails: the engine must mark each member failed."""

import pbt_client


class Fails:
    def __init__(self, member, seed): pass
    def set_hyperparameters(self, h): pass
    def train(self, steps): pass
    def evaluate(self): raise RuntimeError("this program cannot evaluate")
    def save(self, path): open(path, "w").close()
    def load(self, path): pass


if __name__ == "__main__":
    pbt_client.serve(Fails)
