"""Optimizers as small objects: gradient descent, momentum, RMSprop, Adam.

Derived in the chapter *Optimization algorithms*. The course writes each update as a function of
dicts (``update_parameters_with_adam(parameters, grads, v, s, t, ...)`` in :mod:`nnlib.optimizers`);
a framework keeps the optimizer's state (v, s, t) in an object and updates the layers' parameter
arrays in place (``torch.optim``, scikit-learn's ``_stochastic_optimizers``). Both call the same
per-array kernel of :mod:`nnlib._kernels`, so their numbers are identical.

``step(layers)`` updates every ``layer.params[name]`` in place from ``layer.grads[name]``; the state
is keyed by (layer index, name) and lives here. ``learning_rate`` may be changed between steps
(learning-rate decay).
"""

import numpy as np

from nnlib import _kernels as K
from nnlib._validate import check_interval


class GradientDescent:
    """θ ← θ − α dθ."""

    def __init__(self, learning_rate=0.01):
        self.learning_rate = check_interval("learning_rate", learning_rate, 0, low_open=True)
        self.state, self.t = {}, 0

    def step(self, layers):
        """One update of every parameter of ``layers`` (a list of layers, or a Sequential)."""
        self.t += 1
        for i, layer in enumerate(getattr(layers, "layers", layers)):
            for name, p in layer.params.items():
                if name not in layer.grads:
                    raise ValueError(f"layer {i} ({type(layer).__name__}) has no gradient for {name!r}: "
                                     "call backward before step")
                p[...] = self._update((i, name), p, layer.grads[name])

    def _zeros(self, key, p):
        if key not in self.state:
            self.state[key] = np.zeros_like(p)
        return self.state[key]

    def _update(self, key, p, g):
        return K.gd_update(p, g, self.learning_rate)


class Momentum(GradientDescent):
    """v ← β v + (1 − β) dθ, θ ← θ − α v."""

    def __init__(self, learning_rate=0.01, beta=0.9):
        super().__init__(learning_rate)
        self.beta = check_interval("beta", beta, 0, 1, high_open=True)

    def _update(self, key, p, g):
        p, self.state[key] = K.momentum_update(p, g, self._zeros(key, p), self.beta, self.learning_rate)
        return p


class RMSprop(GradientDescent):
    """s ← β₂ s + (1 − β₂) dθ², θ ← θ − α dθ / (√s + ε)."""

    def __init__(self, learning_rate=0.01, beta2=0.999, epsilon=1e-8):
        super().__init__(learning_rate)
        self.beta2 = check_interval("beta2", beta2, 0, 1, high_open=True)
        self.epsilon = check_interval("epsilon", epsilon, 0, low_open=True)

    def _update(self, key, p, g):
        p, self.state[key] = K.rmsprop_update(p, g, self._zeros(key, p), self.beta2, self.learning_rate, self.epsilon)
        return p


class Adam(GradientDescent):
    """Momentum and RMSprop with bias correction; t counts the steps (the first is t = 1)."""

    def __init__(self, learning_rate=0.01, beta1=0.9, beta2=0.999, epsilon=1e-8):
        super().__init__(learning_rate)
        self.beta1 = check_interval("beta1", beta1, 0, 1, high_open=True)
        self.beta2 = check_interval("beta2", beta2, 0, 1, high_open=True)
        self.epsilon = check_interval("epsilon", epsilon, 0, low_open=True)

    def _update(self, key, p, g):
        v = self._zeros(key, p)
        s = self._zeros(key + ("s",), p)
        p, self.state[key], self.state[key + ("s",)], _, _ = K.adam_update(
            p, g, v, s, self.t, self.learning_rate, self.beta1, self.beta2, self.epsilon)
        return p


OPTIMIZERS = {"gd": GradientDescent, "momentum": Momentum, "rmsprop": RMSprop, "adam": Adam}


def make(name, learning_rate, beta=0.9, beta1=0.9, beta2=0.999, epsilon=1e-8):
    """The optimizer object of the course's name ("gd", "momentum", "rmsprop", "adam"), given the
    hyperparameters of all four (each takes the ones it uses: momentum β; RMSprop β₂, ε; Adam β₁, β₂, ε)."""
    if not isinstance(name, str) or name not in OPTIMIZERS:
        raise ValueError(f"optimizer must be one of {', '.join(map(repr, OPTIMIZERS))}, got {name!r}")
    if name == "gd":
        return GradientDescent(learning_rate)
    if name == "momentum":
        return Momentum(learning_rate, beta)
    if name == "rmsprop":
        return RMSprop(learning_rate, beta2, epsilon)
    return Adam(learning_rate, beta1, beta2, epsilon)
