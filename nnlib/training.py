"""The one training loop of nnlib: any network of layers, any loss, any optimizer.

Introduced in the chapter *Layers: from functions to objects*. Every training function of the
course API (``deep.L_layer_model``, ``deep.two_layer_model``, ``optimizers.model``) is a thin call
into :func:`train`: it builds a :class:`nnlib.layers.Sequential` of the course's architecture, a loss
object (:mod:`nnlib.losses`) and an optimizer object (:mod:`nnlib.optim`), and hands them over
with one :class:`TrainingOptions` record.

Design, after scikit-learn's single ``_fit_stochastic`` and Nielsen's ``network2.SGD``: the options
are validated once, when the record is built, and the loop itself calls only layers, kernels and
the optimizer; it never asks what kind of layer it runs (dense, batch norm, convolution, recurrent),
and cuts mini-batches along the network's ``batch_axis``. One iteration is one epoch: one step per
mini-batch of the course's ``random_mini_batches`` shuffle (seed 10 + epoch + 1, numpy's global
random state), or a single full-batch step.
"""

from dataclasses import dataclass
from typing import Callable, Optional

import numpy as np

from nnlib import _kernels as K
from nnlib._validate import as_float_array, check_choice, check_int, check_interval

COURSE_SHUFFLE_SEED = 10      # the course reshuffles epoch i with seed 10 + i + 1


@dataclass(frozen=True)
class TrainingOptions:
    """Everything :func:`train` needs besides the network, the loss and the data; checked on creation.

    Parameters
    ----------
    num_epochs : epochs (iterations of full-batch training), ≥ 0
    optimizer : an object with ``step(layers)`` and ``learning_rate`` (:mod:`nnlib.optim`)
    mini_batch_size : None (full batch) or the mini-batch size
    lambd : λ ≥ 0 of L2 on every parameter named ``"W"`` (cost + (λ/2m) Σ‖W‖², dW + (λ/m) W)
    record_every : record the cost every ``record_every`` epochs (nnlib's one name for it:
        ``L_layer_model`` and ``regularization.model`` take it too; the course's functions have none)
    print_cost, print_every, label : print "Cost after {label} {epoch}: {cost}" at recorded epochs
        that are multiples of ``print_every`` (default: every record)
    decay, decay_rate : None or ``decay(learning_rate0, epoch_num, decay_rate)`` applied after every
        epoch (epoch_num = 1, 2, ...), e.g. :func:`nnlib.optimizers.update_lr`
    epoch_average : the recorded cost is the mean over the epoch's examples of the cost each step
        minimised (Σ cost_b · m_b / m); False (full batch only) records the step's cost as it is
    """

    num_epochs: int
    optimizer: object
    mini_batch_size: Optional[int] = None
    lambd: float = 0.0
    record_every: int = 100
    print_cost: bool = False
    print_every: Optional[int] = None
    label: str = "iteration"
    decay: Optional[Callable] = None
    decay_rate: float = 1.0
    epoch_average: bool = True

    def __post_init__(self):
        put = object.__setattr__.__get__(self)
        put("num_epochs", check_int("num_epochs", self.num_epochs, minimum=0))
        if not callable(getattr(self.optimizer, "step", None)) or not hasattr(self.optimizer, "learning_rate"):
            raise ValueError(f"optimizer must be an optimizer object (nnlib.optim), got {self.optimizer!r}")
        if self.mini_batch_size is not None:
            put("mini_batch_size", check_int("mini_batch_size", self.mini_batch_size))
        put("lambd", check_interval("lambd", self.lambd, 0))
        put("record_every", check_int("record_every", self.record_every))
        put("print_every", self.record_every if self.print_every is None else check_int("print_every", self.print_every))
        check_choice("label", self.label, ("iteration", "epoch"))
        for name in ("print_cost", "epoch_average"):
            if not isinstance(getattr(self, name), (bool, np.bool_)):
                raise ValueError(f"{name} must be True or False, got {getattr(self, name)!r}")
        if self.decay is not None and not callable(self.decay):
            raise ValueError(f"decay must be None or a function decay(learning_rate0, epoch_num, decay_rate), "
                             f"got {self.decay!r}")
        put("decay_rate", check_interval("decay_rate", self.decay_rate, 0))
        if not self.epoch_average and self.mini_batch_size is not None:
            raise ValueError("epoch_average=False needs full-batch training (mini_batch_size=None)")


def _check(network, loss, X, Y, options):
    if not isinstance(options, TrainingOptions):
        raise ValueError(f"options must be a TrainingOptions record, got {type(options).__name__}")
    if not hasattr(network, "layers") or not hasattr(network, "batch_axis"):
        raise ValueError(f"network must be a Sequential (layers and batch_axis), got {type(network).__name__}")
    if not callable(getattr(loss, "cost", None)) or not callable(getattr(loss, "gradient", None)):
        raise ValueError(f"loss must be a loss object with cost and gradient (nnlib.losses), got {loss!r}")
    m = network.num_examples(X)
    Y, axis = np.asarray(Y), getattr(network, "label_axis", -1)
    if not -Y.ndim <= axis < Y.ndim or Y.shape[axis] != m:
        raise ValueError(f"Y must hold the m = {m} examples on its axis {axis} (the network's label_axis), "
                         f"got shape {Y.shape}")
    return m


def _step(network, loss, X, Y, options, record):
    """One forward pass, one backward pass and one update; returns the cost when ``record``."""
    out = network.forward(X, training=True)
    network.backward(loss.gradient(out, Y))
    m = Y.shape[getattr(network, "label_axis", -1)]
    cost = None
    if options.lambd > 0:
        weighted = [layer for layer in network.layers if "W" in layer.params]
        for layer in weighted:
            layer.grads["W"] = K.l2_gradient(layer.grads["W"], layer.params["W"], options.lambd, m)
    if record:
        cost = loss.cost(out, Y)
        if options.lambd > 0:
            cost = cost + K.l2_penalty([layer.params["W"] for layer in weighted], options.lambd, m)
    options.optimizer.step(network.layers)
    return cost


def train(network, loss, X, Y, options):
    """Train ``network`` on (X, Y) by minimising ``loss`` as ``options`` say; returns the recorded costs.

    X holds the m examples along ``network.batch_axis``, Y along ``network.label_axis`` (default: its
    last axis, one column per example). The network's parameters are updated in place.
    """
    m = _check(network, loss, X, Y, options)
    X, Y = np.asarray(X), np.asarray(Y)
    optimizer, learning_rate0 = options.optimizer, options.optimizer.learning_rate
    costs = []
    for epoch in range(options.num_epochs):
        if options.mini_batch_size is None:
            batches = [(X, Y)]
        else:
            batches = K.random_mini_batches(X, Y, options.mini_batch_size, COURSE_SHUFFLE_SEED + epoch + 1,
                                            network.batch_axis, getattr(network, "label_axis", -1))
        record = epoch % options.record_every == 0
        total = 0.0
        for X_batch, Y_batch in batches:
            cost = _step(network, loss, X_batch, Y_batch, options, record)
            if record and options.epoch_average:
                total = total + cost * Y_batch.shape[getattr(network, "label_axis", -1)]
        if record:
            if options.epoch_average:
                cost = np.squeeze(np.asarray(total / m, dtype=np.result_type(cost)))
            costs.append(cost)
        if options.decay is not None:
            optimizer.learning_rate = options.decay(learning_rate0, epoch + 1, options.decay_rate)
        if record and options.print_cost and epoch % options.print_every == 0:
            print("Cost after %s %i: %f" % (options.label, epoch, cost))
    return costs
