"""The function API with save and load of its own, filling a fresh state in place."""

import sys

import pbt_client


class Box:
    """Stands for an object that loads in place, as a torch module does."""

    def __init__(self, value):
        self.value = value


def init(member, seed):
    print("init", file=sys.stderr)
    return Box(float(seed))


def train(state, steps, h):
    state.value += h["lr"] * steps


def save(state, path):
    with open(path, "w") as file:
        file.write(repr(state.value))


def load(state, path):
    with open(path) as file:
        state.value = float(file.read())


if __name__ == "__main__":
    pbt_client.serve_functions(init, train, lambda state: state.value, save=save, load=load)
