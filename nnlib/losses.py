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
For regression, :class:`MeanSquaredError` takes the network's output Ŷ itself (chapter
*Applications of recurrent networks*). For multi-task learning with missing labels,
:class:`MaskedSigmoidCrossEntropy` sums the binary cross-entropy over the labels that are present
only (chapter *Mismatched data, transfer learning and multi-task learning*).
"""

import numpy as np

from nnlib import _kernels as K
from nnlib.activations import sigmoid, sigmoid_derivative
from nnlib._kernels import logit_losses as _logit_losses, mean_over_examples
from nnlib._validate import as_float_array, check_shape

#: The label of a missing entry (the course's "?") for :class:`MaskedSigmoidCrossEntropy`.
MISSING = -1


def _labels_like(P, Y, allowed=None, shown="{0, 1}"):
    """Labels Y as an array of P's dtype and shape ((m,) is accepted when P has one row), with values in
    ``allowed`` (None: any finite value)."""
    Yarr = as_float_array("Y", Y).astype(P.dtype, copy=False)
    if Yarr.ndim == 1 and P.shape[0] == 1 and Yarr.shape[0] == P.shape[1]:
        Yarr = Yarr.reshape(1, -1)
    check_shape("Y", Yarr, P.shape)
    if allowed is not None:
        bad = ~np.isin(Yarr, allowed)
        if bad.any():
            raise ValueError(f"Y must contain only the labels {shown}, got {Yarr[bad][0]:g}")
    return Yarr


def _check_pair(name, P, Y):
    """Validate a (n_y, m) prediction array and labels of the same shape (or (m,) for n_y = 1)."""
    P = as_float_array(name, P, ndim=2)
    return P, _labels_like(P, Y, (0, 1))


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
            dZ = K.bce_probability_gradient(A, Y) * sigmoid_derivative(Z)
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


class MeanSquaredError:
    """Squared error of a regression output Ŷ (n_y, m) against targets Y (n_y, m), averaged over the examples.

    ``cost`` is J = (1/m) Σ_i ‖ŷ⁽ⁱ⁾ − y⁽ⁱ⁾‖² (for n_y = 1 the mean squared error); ``gradient`` is
    dŶ = 2(Ŷ − Y)/m. The network's last layer is a Dense layer with no activation (ŷ = W a + b).
    ``Y`` of shape (m,) is accepted when n_y = 1. Chapter *Applications of recurrent networks*.
    """

    @staticmethod
    def _pair(Yhat, Y):
        Yhat = as_float_array("Yhat", Yhat, ndim=2)
        return Yhat, _labels_like(Yhat, Y)

    def cost(self, Yhat, Y):
        Yhat, Y = self._pair(Yhat, Y)
        return np.squeeze(mean_over_examples((Yhat - Y) ** 2))

    def gradient(self, Yhat, Y):
        Yhat, Y = self._pair(Yhat, Y)
        return 2 * (Yhat - Y) / Yhat.shape[1]


class MaskedSigmoidCrossEntropy:
    """Multi-task binary cross-entropy of A = σ(Z) (n_y tasks, one sigmoid output each) with missing labels.

    Y (n_y, m) holds 1, 0 or :data:`MISSING` (−1, the course's "?": this example was not labelled for
    this task). The cost sums the loss over the labels that are present only, averaged over the m
    examples as the course writes it, J = (1/m) Σ_i Σ_{j: y_j⁽ⁱ⁾ present} L(z_j⁽ⁱ⁾, y_j⁽ⁱ⁾);
    ``gradient`` is dZ = M ⊙ (σ(Z) − Y)/m with M the 0/1 mask of present labels, so a missing entry
    contributes nothing to any parameter's gradient. With no label missing, cost and gradient are
    :class:`SigmoidCrossEntropy`'s, bit for bit. NaN labels are refused (a NaN is more often a bug
    than a "?"); Y of shape (m,) is accepted when n_y = 1. Z is the logits of the network's last
    (Dense) layer, computed stably from them. Chapter *Mismatched data, transfer learning and
    multi-task learning*.
    """

    @staticmethod
    def _checked(Z, Y):
        Z = as_float_array("Z", Z, ndim=2)
        Yarr = _labels_like(Z, Y, (0, 1, MISSING), f"{{0, 1}} or MISSING = {MISSING}")
        present = Yarr != MISSING
        return Z, np.where(present, Yarr, 0), present

    def cost(self, Z, Y):
        """The mean over the m examples of the summed losses of the present labels (a 0-d array)."""
        Z, Y, present = self._checked(Z, Y)
        return np.squeeze(mean_over_examples(np.where(present, _logit_losses(Z, Y), 0).astype(Z.dtype, copy=False)))

    def gradient(self, Z, Y):
        """dZ (n_y, m) of the cost: (σ(Z) − Y)/m where a label is present, 0 where it is missing."""
        Z, Y, present = self._checked(Z, Y)
        return np.where(present, sigmoid(Z) - Y, 0).astype(Z.dtype, copy=False) / Z.shape[1]

