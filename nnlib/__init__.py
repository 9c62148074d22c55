"""nnlib — the small numpy neural-network library taught by *Neural Networks from Scratch*.

Conventions (those of the course the book follows):

* ``X`` has shape ``(n_x, m)``: one example per **column**; ``Y`` has shape ``(1, m)``.
* Parameters live in dicts (``"W1"``, ``"b1"``, ...); forward passes return caches.
* float64 by default; float32 inputs stay float32.
* Public functions validate their inputs and raise ``ValueError`` naming the expected and
  the actual shape or value, instead of returning NaN or broadcasting by accident.

The modules mirror the chapters: ``nnlib.logistic`` ↔ *Logistic regression as a neural network*, ...
``nnlib.symbolic`` (SymPy) and ``nnlib.show`` (IPython) are for the book and need the ``book`` extra.
"""

from nnlib.activations import (
    leaky_relu,
    leaky_relu_derivative,
    relu,
    relu_derivative,
    sigmoid,
    sigmoid_derivative,
    tanh,
    tanh_derivative,
)

__all__ = [
    "sigmoid", "sigmoid_derivative", "tanh", "tanh_derivative",
    "relu", "relu_derivative", "leaky_relu", "leaky_relu_derivative",
]
__version__ = "0.2.0"
