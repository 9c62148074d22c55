"""Binary cross-entropy, the loss of logistic regression and of a sigmoid output layer.

Derived in the chapter *Logistic regression as a neural network* (the maximum-likelihood view).

Two ways to keep the cost finite when ŷ reaches exactly 0 or 1:

* ``binary_cross_entropy(A, Y)`` takes probabilities and clips them to [ε, 1 − ε], with ε the
  machine epsilon of A's dtype — exact whenever ε ≤ A ≤ 1 − ε;
* ``binary_cross_entropy_with_logits(Z, Y)`` takes z (A = σ(z)) and uses
  L = max(z, 0) − z·y + log(1 + e^(−|z|)), which never clips and is finite for every finite z.

The training loop (:func:`nnlib.training.train`) takes a loss object: :class:`SigmoidCrossEntropy`
or :class:`SoftmaxCrossEntropy`, both on the logits of the network's last (Dense) layer, with
``cost(Z, Y)`` (the mean cost) and ``gradient(Z, Y)`` (dZ of the mean cost; with
``per_example=True`` the course's dZ = A − Y per example, for layers with ``course_scaling``).
"""

import numpy as np

from nnlib import _kernels as K
from nnlib.activations import sigmoid, sigmoid_derivative
from nnlib._kernels import logit_losses as _logit_losses, mean_over_examples
from nnlib._validate import as_float_array, check_shape


def _check_pair(name, P, Y):
    """Validate a (n_y, m) prediction array and labels of the same shape (or (m,) for n_y = 1)."""
    P = as_float_array(name, P, ndim=2)
    Yarr = as_float_array("Y", Y).astype(P.dtype, copy=False)
    if Yarr.ndim == 1 and P.shape[0] == 1 and Yarr.shape[0] == P.shape[1]:
        Yarr = Yarr.reshape(1, -1)
    check_shape("Y", Yarr, P.shape)
    bad = ~np.isin(Yarr, (0, 1))
    if bad.any():
        raise ValueError(f"Y must contain only the labels {{0, 1}}, got {Yarr[bad][0]:g}")
    return P, Yarr


def _reduce(losses, reduction):
    if reduction == "none":
        return losses
    if reduction == "mean":
        return mean_over_examples(losses)
    raise ValueError(f"reduction must be 'mean' or 'none', got {reduction!r}")


def binary_cross_entropy(A, Y, reduction="mean"):
    """Cross-entropy J = −(1/m) Σ [y log a + (1 − y) log(1 − a)] of probabilities ``A``.

    Parameters
    ----------
    A : (n_y, m) array of probabilities in [0, 1]
    Y : (n_y, m) array of labels in {0, 1} (``(m,)`` is accepted when n_y = 1)
    reduction : ``"mean"`` (the cost: sum over all entries divided by m) or ``"none"``
        (the (n_y, m) array of losses)

    A is clipped to [ε, 1 − ε] (ε = machine epsilon of its dtype), so a = 0 with y = 1 costs
    −log ε ≈ 36 in float64 instead of inf.
    """
    A, Y = _check_pair("A", A, Y)
    if A.min() < 0 or A.max() > 1:
        raise ValueError(f"A must hold probabilities in [0, 1], got values in [{A.min()}, {A.max()}]")
    eps = np.finfo(A.dtype).eps
    A = np.clip(A, eps, 1 - eps)
    losses = -(Y * np.log(A) + (1 - Y) * np.log1p(-A))
    return _reduce(losses.astype(A.dtype, copy=False), reduction)


def binary_cross_entropy_with_logits(Z, Y, reduction="mean"):
    """Cross-entropy of A = σ(Z) computed from the logits ``Z`` without ever forming log(0).

    Parameters
    ----------
    Z : (n_y, m) array of logits (any finite values)
    Y : (n_y, m) array of labels in {0, 1} (``(m,)`` is accepted when n_y = 1)
    reduction : ``"mean"`` or ``"none"``, as in :func:`binary_cross_entropy`

    Uses −[y log σ(z) + (1 − y) log(1 − σ(z))] = max(z, 0) − z·y + log(1 + e^(−|z|)).
    """
    Z, Y = _check_pair("Z", Z, Y)
    return _reduce(_logit_losses(Z, Y), reduction)



class SigmoidCrossEntropy:
    """Binary cross-entropy of A = σ(Z) from the logits Z (n_y, m) of a network's last layer.

    ``gradient`` is dZ = (A − Y)/m (``per_example``: A − Y); with ``course_chain`` it is computed as
    the course does, dA = −(Y/A − (1 − Y)/(1 − A)) (A moved into [ε, 1 − ε]) times σ'(Z).
    """

    def __init__(self, per_example=False, course_chain=False):
        self.per_example, self.course_chain = bool(per_example), bool(course_chain)

    def cost(self, Z, Y):
        return K.sigmoid_cost_from_logits(Z, Y)

    def gradient(self, Z, Y):
        A = sigmoid(Z)
        if self.course_chain:
            eps = np.finfo(A.dtype).eps
            A = np.where((A >= 0) & (A <= 1), np.clip(A, eps, 1 - eps), A)
            dZ = -(np.divide(Y, A) - np.divide(1 - Y, 1 - A)) * sigmoid_derivative(Z)
        else:
            dZ = A - Y
        return dZ if self.per_example else dZ / Z.shape[1]


class SoftmaxCrossEntropy:
    """Cross-entropy of softmax(Z) (columns) from the logits Z (n_classes, m); Y one-hot columns.

    ``gradient`` is dZ = (softmax(Z) − Y)/m (``per_example``: softmax(Z) − Y).
    """

    def __init__(self, per_example=False):
        self.per_example = bool(per_example)

    def cost(self, Z, Y):
        return K.softmax_cost_from_logits(Z, Y)

    def gradient(self, Z, Y):
        dZ = K.softmax(Z, axis=0) - Y
        return dZ if self.per_example else dZ / Z.shape[1]
