"""nnlib.rnn_layers: the layer contract (params/grads/forward/backward), central differences, dtypes."""

import numpy as np
import pytest

from nnlib import rnn
from nnlib.gradcheck import numerical_gradient, relative_difference
from nnlib.rnn_layers import LSTM, RNN


@pytest.mark.parametrize("Layer", [RNN, LSTM])
def test_layer_gradients_by_central_differences(Layer):
    rng = np.random.default_rng(0)
    layer = Layer(3, 4, seed=1)
    A, weights = rng.normal(size=(3, 5, 6)), rng.normal(size=(4, 5, 6))   # J = Σ weights ⊙ forward(A)
    out = layer.forward(A, training=True)
    assert out.shape == (4, 5, 6)
    dA = layer.backward(weights)
    assert set(layer.grads) == set(layer.params) and dA.shape == A.shape

    def J(q):
        saved = {k: v.copy() for k, v in layer.params.items()}
        for k in layer.params:
            layer.params[k][...] = q[k]
        value = float(np.sum(weights * layer.forward(q["A"])))
        for k in layer.params:
            layer.params[k][...] = saved[k]
        return value

    numeric = numerical_gradient(J, {**layer.params, "A": A})
    assert relative_difference({**layer.grads, "A": dA}, numeric) < 1e-8


def test_layers_are_thin_objects_around_the_kernels():
    rng = np.random.default_rng(2)
    A = rng.normal(size=(3, 2, 5))
    layer = RNN(3, 4, seed=0)
    p = layer.params | {"Wya": np.zeros((1, 4)), "by": np.zeros((1, 1))}
    assert np.array_equal(layer.forward(A), rnn.rnn_forward(A, np.zeros((4, 2)), p)[0])
    lstm = LSTM(3, 4, seed=0)
    assert np.all(lstm.params["bf"] == 1) and not lstm.params["bi"].any()
    p = lstm.params | {"Wy": np.zeros((1, 4)), "by": np.zeros((1, 1))}
    assert np.array_equal(lstm.forward(A), rnn.lstm_forward(A, np.zeros((4, 2)), p)[0])


def test_in_place_updates_are_seen_by_the_next_forward():
    rng = np.random.default_rng(3)
    layer, A = LSTM(2, 3, seed=0), rng.normal(size=(2, 4, 3))
    before = layer.forward(A)
    layer.backward(np.ones_like(before))
    for k in layer.params:
        layer.params[k] -= 0.1 * layer.grads[k]            # what an optimizer does
    assert not np.allclose(layer.forward(A), before)
    assert np.sum(layer.forward(A)) < np.sum(before)       # a descent step on J = Σ a


@pytest.mark.parametrize("Layer", [RNN, LSTM])
def test_layer_validation_and_dtypes(Layer):
    layer = Layer(3, 4, seed=0)
    with pytest.raises(ValueError, match=r"A must have shape \(n_x = 3, m, T_x\), got \(2, 5, 6\)"):
        layer.forward(np.ones((2, 5, 6)))
    with pytest.raises(ValueError, match="needs a forward"):
        Layer(3, 4).backward(np.ones((4, 5, 6)))
    layer.forward(np.ones((3, 5, 6)))
    with pytest.raises(ValueError, match=r"backward expects dA of the forward output's shape \(4, 5, 6\), got \(4, 5, 5\)"):
        layer.backward(np.ones((4, 5, 5)))
    with pytest.raises(ValueError, match="n_a must be a positive integer"):
        Layer(3, 0)
    A32 = np.ones((3, 5, 6), np.float32)
    out = layer.forward(A32)
    dA = layer.backward(np.ones_like(out))
    assert out.dtype == dA.dtype == np.float32 and all(g.dtype == np.float32 for g in layer.grads.values())
    assert Layer(3, 4, dtype=np.float32).params[next(iter(layer.params))].dtype == np.float32


def test_recurrent_layers_stack_in_the_engines_sequential():
    """RNN then LSTM in nnlib.layers.Sequential (examples on axis 1): forward, backward and central differences."""
    from nnlib.layers import Sequential

    rng = np.random.default_rng(7)
    net = Sequential([RNN(3, 4, seed=0), LSTM(4, 2, seed=1)], batch_axis=1)
    A, weights = rng.normal(size=(3, 5, 4)), rng.normal(size=(2, 5, 4))
    assert net.num_examples(A) == 5 and net.forward(A).shape == (2, 5, 4)
    dA = net.backward(weights)
    numeric = numerical_gradient(lambda q: float(np.sum(weights * net.forward(q["A"]))), {"A": A})
    assert relative_difference({"A": dA}, numeric) < 1e-8


def test_last_step_many_to_one_network_gradients_by_central_differences():
    from nnlib.layers import Dense, Sequential
    from nnlib.losses import MeanSquaredError
    from nnlib.rnn_layers import LastStep

    rng = np.random.default_rng(3)
    net = Sequential([LSTM(2, 3, seed=0), LastStep(), Dense(rng.normal(size=(2, 3)), rng.normal(size=(2, 1)))], batch_axis=1)
    X, Y, loss = rng.normal(size=(2, 4, 5)), rng.normal(size=(2, 4)), MeanSquaredError()
    dX = net.backward(loss.gradient(net.forward(X), Y))
    analytic = {f"{i}{k}": g for i, layer in enumerate(net.layers) for k, g in layer.grads.items()} | {"X": dX}

    def J(q):
        saved = [{k: v.copy() for k, v in layer.params.items()} for layer in net.layers]
        for i, layer in enumerate(net.layers):
            for k in layer.params:
                layer.params[k][...] = q[f"{i}{k}"]
        value = float(loss.cost(net.forward(q["X"]), Y))
        for layer, old in zip(net.layers, saved):
            for k in layer.params:
                layer.params[k][...] = old[k]
        return value

    params = {f"{i}{k}": p for i, layer in enumerate(net.layers) for k, p in layer.params.items()} | {"X": X}
    assert relative_difference(analytic, numerical_gradient(J, params)) < 1e-8
    assert np.all(dX[:, :, -1] != 0) and np.all(net.layers[1].backward(np.ones((3, 4)))[:, :, :-1] == 0)


def test_last_step_validates_and_keeps_float32():
    from nnlib.rnn_layers import LastStep

    layer = LastStep()
    with pytest.raises(ValueError, match="forward"):
        layer.backward(np.ones((2, 3)))
    with pytest.raises(ValueError, match=r"\(n_a, m, T_x\)"):
        layer.forward(np.ones((2, 3)))
    out = layer.forward(np.ones((2, 3, 4), dtype=np.float32))
    assert out.dtype == np.float32 and out.shape == (2, 3) and layer.params == {}
    assert layer.backward(np.ones((2, 3), dtype=np.float32)).dtype == np.float32
    with pytest.raises(ValueError, match=r"LastStep.backward expects dA of the forward output's shape \(2, 3\), got \(3, 2\)"):
        layer.backward(np.ones((3, 2)))
