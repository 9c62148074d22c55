"""RNN and LSTM layers for the layer protocol of the engine (see the project's layer contract).

Each layer is a thin object around the kernels of :mod:`nnlib.rnn` — ``rnn_forward`` /
``rnn_backward`` and ``lstm_forward`` / ``lstm_backward`` — and holds no maths of its own:

* ``params`` / ``grads``: dicts of arrays by name (``Wax, Waa, ba``; ``Wf, bf, Wi, bi, Wc, bc, Wo, bo``);
* ``forward(A, training=False)``: A is (n_x, m, T_x) (examples on axis 1, the course's convention);
  returns the hidden states (n_a, m, T_x) and caches what ``backward`` needs;
* ``backward(dA)``: dA (n_a, m, T_x) is the gradient of the **mean** cost with respect to the hidden
  states; sets ``grads`` and returns the gradient with respect to A, (n_x, m, T_x).

The initial hidden state is a⟨0⟩ = 0. The output layer of the course's cells (softmax of Wya a + by)
belongs to the layers above, so the kernels get a zero one-row output matrix, whose result is unused.
Derived in the chapters *Building a recurrent network* and *Long short-term memory*.
:class:`LastStep` passes on the last time step to a dense readout, for a many-to-one network
(chapter *Applications of recurrent networks*).
"""

import numpy as np

from nnlib import rnn
from nnlib._validate import as_float_array, check_int, check_upstream


class _Recurrent:
    """What the two layers share: construction, the dtype rule and the validation of A and dA."""

    batch_axis = 1                   # the examples of (n_x, m, T_x)
    _keys = ()

    def __init__(self, n_x, n_a, seed=None, dtype=np.float64):
        self.n_x, self.n_a = check_int("n_x", n_x), check_int("n_a", n_a)
        if np.dtype(dtype) not in (np.float32, np.float64):
            raise ValueError(f"dtype must be float32 or float64, got {dtype!r}")
        self.params = {k: v.astype(dtype) for k, v in self._initial(np.random.default_rng(seed)).items()}
        self.grads = {k: np.zeros_like(v) for k, v in self.params.items()}
        self._caches = None

    def _kernel_parameters(self, dtype):
        """The parameters in the input's dtype, plus the unused zero output row the kernels expect."""
        p = {k: v if v.dtype == dtype else v.astype(dtype) for k, v in self.params.items()}
        return p | {self._output_key: np.zeros((1, self.n_a), dtype=dtype), "by": np.zeros((1, 1), dtype=dtype)}

    def _input(self, A):
        A = as_float_array("A", A)
        if A.ndim != 3 or A.shape[0] != self.n_x:
            raise ValueError(f"A must have shape (n_x = {self.n_x}, m, T_x), got {A.shape}")
        return A

    def _upstream(self, dA):
        output = None if self._caches is None else (self.n_a,) + self._caches[1].shape[1:]   # (n_a, m, T_x)
        return as_float_array("dA", check_upstream(self, dA, output))

    def _set_grads(self, g):
        self.grads = {k: g["d" + k] for k in self._keys}
        return g["dx"]


class RNN(_Recurrent):
    """A layer of n_a tanh units over time: a⟨t⟩ = tanh(Waa a⟨t−1⟩ + Wax x⟨t⟩ + ba).

    Parameters: ``n_x`` input features, ``n_a`` hidden units, ``seed`` of the initialization
    (Wax ~ N(0, 1/n_x), Waa ~ N(0, 1/n_a), ba = 0), ``dtype`` float64 or float32.
    """

    _keys = ("Wax", "Waa", "ba")
    _output_key = "Wya"

    def _initial(self, rng):
        return {"Wax": rng.normal(size=(self.n_a, self.n_x)) / np.sqrt(self.n_x),
                "Waa": rng.normal(size=(self.n_a, self.n_a)) / np.sqrt(self.n_a), "ba": np.zeros((self.n_a, 1))}

    def forward(self, A, training=False):
        A = self._input(A)
        a, _, self._caches = rnn.rnn_forward(A, np.zeros((self.n_a, A.shape[1]), dtype=A.dtype),
                                             self._kernel_parameters(A.dtype))
        return a

    def backward(self, dA):
        return self._set_grads(rnn.rnn_backward(self._upstream(dA), self._caches))


class LSTM(_Recurrent):
    """A layer of n_a LSTM units over time (gates f, i, o, candidate c, from a⟨0⟩ = c⟨0⟩ = 0).

    Parameters: ``n_x``, ``n_a``, ``seed`` (each W ~ N(0, 1/(n_a + n_x)); bf = 1 — a forget gate
    open at the start, the usual choice — and the other biases 0), ``dtype``.
    """

    _keys = ("Wf", "bf", "Wi", "bi", "Wc", "bc", "Wo", "bo")
    _output_key = "Wy"

    def _initial(self, rng):
        scale = 1 / np.sqrt(self.n_a + self.n_x)
        p = {}
        for g in "fico":
            p["W" + g] = rng.normal(size=(self.n_a, self.n_a + self.n_x)) * scale
            p["b" + g] = np.full((self.n_a, 1), 1.0 if g == "f" else 0.0)
        return p

    def forward(self, A, training=False):
        A = self._input(A)
        a, _, _, self._caches = rnn.lstm_forward(A, np.zeros((self.n_a, A.shape[1]), dtype=A.dtype),
                                                 self._kernel_parameters(A.dtype))
        return a

    def backward(self, dA):
        return self._set_grads(rnn.lstm_backward(self._upstream(dA), self._caches))


class LastStep:
    """The last time step of a sequence: (n_a, m, T_x) → (n_a, m), for a many-to-one network.

    Between a recurrent layer and a dense readout (``Sequential([RNN(...), LastStep(), Dense(...)],
    batch_axis=1)``): ``forward`` returns A[:, :, −1]; ``backward(dA)`` takes dA (n_a, m) and returns
    the gradient (n_a, m, T_x) that is dA at the last step and 0 at the others. No parameters.
    Chapter *Applications of recurrent networks*.
    """

    params = {}

    def __init__(self):
        self.grads = {}
        self._shape = None

    def forward(self, A, training=False):
        A = as_float_array("A", A)
        if A.ndim != 3:
            raise ValueError(f"LastStep.forward expects a sequence of shape (n_a, m, T_x), got {A.shape}")
        self._shape = A.shape
        return A[:, :, -1]

    def backward(self, dA):
        dA = as_float_array("dA", check_upstream(self, dA, None if self._shape is None else self._shape[:2]))
        dA_prev = np.zeros(self._shape, dtype=dA.dtype)
        dA_prev[:, :, -1] = dA
        return dA_prev
