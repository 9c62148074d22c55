"""Every public nnlib function under bad input: a table of valid calls, and generic ways to break them.

For each function in ``VALID_CALLS`` and each of its array arguments, the test feeds NaN, inf, an
empty array, strings, an object array and (unless the function is element-wise) an extra dimension;
for label arguments, a label outside the allowed set; for dict arguments, a missing key. Each must
raise ``ValueError`` or ``TypeError`` whose message names the argument or the problem — and no
input may be modified, whether the call succeeds or fails.

``test_every_public_function_is_covered`` fails when nnlib gains a public function that is not in
the table, so new code is covered as soon as it exists.
"""

import copy
import importlib
import inspect
import pkgutil

import numpy as np
import pytest

import nnlib

# Modules of book helpers rather than the library proper (SymPy, display, plotting), not covered here.
EXEMPT_MODULES = {"nnlib.symbolic", "nnlib.show", "nnlib.plotting"}

rng = np.random.default_rng(0)
X23 = rng.normal(size=(2, 3))
Y13 = np.array([[1.0, 0.0, 1.0]])
SHALLOW_PARAMETERS = {"W1": rng.normal(size=(4, 2)), "b1": np.zeros((4, 1)), "W2": rng.normal(size=(1, 4)),
                      "b2": np.zeros((1, 1))}
SHALLOW_CACHE = {"A1": np.tanh(rng.normal(size=(4, 3))), "A2": np.array([[0.2, 0.9, 0.6]])}
SHALLOW_GRADS = {"d" + k: rng.normal(size=v.shape) for k, v in SHALLOW_PARAMETERS.items()}
DEEP_P = {"W1": rng.normal(size=(3, 2)), "b1": np.zeros((3, 1)), "W2": rng.normal(size=(1, 3)), "b2": np.zeros((1, 1))}
DEEP_P2 = {"W1": rng.normal(size=(3, 2)), "b1": np.zeros((3, 1)), "W2": rng.normal(size=(2, 3)), "b2": np.zeros((2, 1))}
DEEP_G = {"d" + k: rng.normal(size=v.shape) for k, v in DEEP_P.items()}
LIN = (X23, rng.normal(size=(1, 2)), np.zeros((1, 1)))
# The course's 3-layer network (regularization), on X23: sizes 2 → 3 → 2 → 1.
REG_P = {"W1": rng.normal(size=(3, 2)), "b1": np.zeros((3, 1)), "W2": rng.normal(size=(2, 3)), "b2": np.zeros((2, 1)),
         "W3": rng.normal(size=(1, 2)), "b3": np.zeros((1, 1))}
REG_G = {"d" + k: rng.normal(size=v.shape) for k, v in REG_P.items()}
_Z1 = REG_P["W1"] @ X23
_A1 = np.maximum(_Z1, 0)
_Z2 = REG_P["W2"] @ _A1
_A2 = np.maximum(_Z2, 0)
_Z3 = REG_P["W3"] @ _A2
_A3 = 1 / (1 + np.exp(-_Z3))
REG_CACHE = (_Z1, _A1, REG_P["W1"], REG_P["b1"], _Z2, _A2, REG_P["W2"], REG_P["b2"], _Z3, _A3, REG_P["W3"], REG_P["b3"])
_D1, _D2 = np.array([[1, 0, 1], [1, 1, 0], [0, 1, 1]], dtype=bool), np.array([[1, 1, 0], [0, 1, 1]], dtype=bool)
DROP_CACHE = (_Z1, _D1, _A1 * _D1 / 0.5, REG_P["W1"], REG_P["b1"], _Z2, _D2, _A2 * _D2 / 0.5, REG_P["W2"], REG_P["b2"],
              _Z3, _A3, REG_P["W3"], REG_P["b3"])
ZEROS_G = {k: np.zeros_like(v) for k, v in DEEP_G.items()}
BN_Z = rng.normal(size=(2, 3))
BN_GAMMA, BN_BETA = np.array([[1.5], [0.5]]), np.array([[0.1], [-0.2]])
_BN_MU = BN_Z.mean(axis=1, keepdims=True)
_BN_VAR = BN_Z.var(axis=1, keepdims=True)
BN_CACHE = ((BN_Z - _BN_MU) / np.sqrt(_BN_VAR + 1e-5), BN_GAMMA, _BN_MU, _BN_VAR, 1e-5)
# A batch-norm network's parameters (deep.L_layer_model(..., batchnorm=True)), 2 → 3 → 1 and 2 → 3 → 2.
_BN_HIDDEN = {"W1": rng.normal(size=(3, 2)), "gamma1": rng.random((3, 1)) + 0.5, "beta1": rng.normal(size=(3, 1)),
              "running_mean1": rng.normal(size=(3, 1)), "running_var1": rng.random((3, 1)) + 0.1}
DEEP_BN_P = _BN_HIDDEN | {"W2": rng.normal(size=(1, 3)), "b2": np.zeros((1, 1))}
DEEP_BN_P2 = _BN_HIDDEN | {"W2": rng.normal(size=(2, 3)), "b2": np.zeros((2, 1))}

# Recurrent networks (nnlib.rnn, nnlib.language_model): n_x = 2, n_a = 3, n_y = 2, m = 3, T_x = 4.
RNN_P = {"Wax": rng.normal(size=(3, 2)), "Waa": rng.normal(size=(3, 3)), "Wya": rng.normal(size=(2, 3)),
         "ba": rng.normal(size=(3, 1)), "by": rng.normal(size=(2, 1))}
LSTM_P = {k: rng.normal(size=(3, 5)) for k in ("Wf", "Wi", "Wc", "Wo")} | {k: rng.normal(size=(3, 1)) for k in
                                                                          ("bf", "bi", "bc", "bo")}
LSTM_P |= {"Wy": rng.normal(size=(2, 3)), "by": rng.normal(size=(2, 1))}
RNN_X, RNN_A0 = rng.normal(size=(2, 3, 4)), rng.normal(size=(3, 3))
RNN_CACHES = __import__("nnlib.rnn").rnn.rnn_forward(RNN_X, RNN_A0, RNN_P)[2]
LSTM_CACHES = __import__("nnlib.rnn").rnn.lstm_forward(RNN_X, RNN_A0, LSTM_P)[3]
# The language model: vocabulary "\n", "a", "b", "c" (4 characters), n_a = 3.
LM_P = {"Wax": rng.normal(size=(3, 4)), "Waa": rng.normal(size=(3, 3)), "Wya": rng.normal(size=(4, 3)),
        "b": rng.normal(size=(3, 1)), "by": rng.normal(size=(4, 1))}
LM_G = {"d" + k: rng.normal(size=v.shape) for k, v in LM_P.items()}
LM_CACHE = __import__("nnlib.language_model").language_model.rnn_forward([None, 1, 2], [1, 2, 0], np.zeros((3, 1)), LM_P)[1]
# Convolution (nnlib.conv, nnlib.cnn): volumes are (m, n_H, n_W, n_C).
CONV_A = rng.normal(size=(2, 5, 5, 3))
CONV_W, CONV_B, CONV_HP = rng.normal(size=(3, 3, 3, 2)), rng.normal(size=(1, 1, 1, 2)), {"pad": 1, "stride": 2}
CONV_CACHE = (CONV_A, CONV_W, CONV_B, CONV_HP)          # conv_forward's cache; its output is (2, 3, 3, 2)
POOL_HP = {"f": 2, "stride": 1}
POOL_CACHE = (CONV_A, POOL_HP)                          # pool_forward's cache; its output is (2, 4, 4, 3)



def C(elementwise=False, labels=(), dicts=(), finite=True, mutates=(), init=None, **kwargs):
    """A valid call: keyword arguments, and how each may be broken (``mutates``: arguments the function
    updates in place by design, as the course's language-model ``optimize``; ``init``: the constructor's
    arguments for a method of a class without defaults)."""
    return {"kwargs": kwargs, "elementwise": elementwise, "labels": set(labels), "dicts": set(dicts), "finite": finite,
            "mutates": set(mutates), "init": init or {}}


VALID_CALLS = {
    "nnlib.activations.sigmoid": C(elementwise=True, finite=False, z=X23),
    "nnlib.activations.sigmoid_derivative": C(elementwise=True, finite=False, z=X23),
    "nnlib.activations.tanh": C(elementwise=True, finite=False, z=X23),
    "nnlib.activations.tanh_derivative": C(elementwise=True, finite=False, z=X23),
    "nnlib.activations.relu": C(elementwise=True, finite=False, z=X23),
    "nnlib.activations.relu_derivative": C(elementwise=True, finite=False, z=X23),
    "nnlib.activations.leaky_relu": C(elementwise=True, finite=False, z=X23),
    "nnlib.activations.leaky_relu_derivative": C(elementwise=True, finite=False, z=X23),
    "nnlib.losses.binary_cross_entropy": C(labels=["Y"], A=np.array([[0.2, 0.9, 0.6]]), Y=Y13),
    "nnlib.losses.binary_cross_entropy_with_logits": C(labels=["Y"], Z=np.array([[-2.0, 3.0, 0.5]]), Y=Y13),
    "nnlib.logistic.initialize_with_zeros": C(dim=3),
    "nnlib.logistic.propagate": C(labels=["Y"], w=np.array([[0.1], [-0.2]]), b=0.3, X=X23, Y=Y13),
    "nnlib.logistic.optimize": C(labels=["Y"], w=np.array([[0.1], [-0.2]]), b=0.3, X=X23, Y=Y13, num_iterations=3),
    "nnlib.logistic.predict": C(w=np.array([[0.1], [-0.2]]), b=0.3, X=X23),
    "nnlib.logistic.accuracy": C(labels=["Y", "Y_prediction"], Y_prediction=np.array([[1.0, 1.0, 0.0]]), Y=Y13),
    "nnlib.logistic.model": C(labels=["Y_train", "Y_test"], X_train=X23, Y_train=Y13, X_test=X23, Y_test=Y13,
                              num_iterations=3),
    "nnlib.basics.image2vector": C(image=rng.random((3, 3, 2))),
    "nnlib.basics.normalize_rows": C(x=np.array([[0.0, 3.0, 4.0], [1.0, 6.0, 4.0]])),
    "nnlib.basics.softmax": C(x=np.array([[9.0, 2.0, 5.0, 0.0, 0.0], [7.0, 5.0, 0.0, 0.0, 0.0]])),
    "nnlib.basics.L1": C(yhat=np.array([0.9, 0.2, 0.1, 0.4, 0.9]), y=np.array([1.0, 0.0, 0.0, 1.0, 1.0])),
    "nnlib.basics.L2": C(yhat=np.array([0.9, 0.2, 0.1, 0.4, 0.9]), y=np.array([1.0, 0.0, 0.0, 1.0, 1.0])),
    "nnlib.linear_models.threshold_unit": C(X=np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]),
                                            w=np.array([1.0, 1.0]), theta=2.0),
    "nnlib.linear_models.sse_cost_gradient": C(w=np.array([0.1, -0.2, 0.3]), X=X23.T,
                                               y=np.array([1.0, -1.0, 1.0])),
    "nnlib.linear_models.Perceptron.fit": C(labels=["y"], X=X23.T, y=np.array([1.0, -1.0, 1.0])),
    "nnlib.linear_models.AdalineGD.fit": C(labels=["y"], X=X23.T, y=np.array([1.0, -1.0, 1.0])),
    "nnlib.linear_models.AdalineMiniBatchGD.fit": C(labels=["y"], X=X23.T, y=np.array([1.0, -1.0, 1.0])),
    "nnlib.linear_models.AdalineMiniBatchGD.partial_fit": C(labels=["y"], X=X23.T, y=np.array([1.0, -1.0, 1.0])),
    "nnlib.linear_models.AdalineSGD.fit": C(labels=["y"], X=X23.T, y=np.array([1.0, -1.0, 1.0])),
    "nnlib.shallow.layer_sizes": C(X=X23, Y=Y13),
    "nnlib.shallow.initialize_parameters": C(n_x=2, n_h=4, n_y=1),
    "nnlib.shallow.forward_propagation": C(dicts=["parameters"], X=X23, parameters=SHALLOW_PARAMETERS),
    "nnlib.shallow.compute_cost": C(labels=["Y"], A2=np.array([[0.2, 0.9, 0.6]]), Y=Y13),
    "nnlib.shallow.backward_propagation": C(labels=["Y"], dicts=["parameters", "cache"], parameters=SHALLOW_PARAMETERS,
                                            cache=SHALLOW_CACHE, X=X23, Y=Y13),
    "nnlib.shallow.update_parameters": C(dicts=["parameters", "grads"], parameters=SHALLOW_PARAMETERS,
                                         grads=SHALLOW_GRADS),
    "nnlib.shallow.nn_model": C(labels=["Y"], X=X23, Y=Y13, n_h=2, num_iterations=3),
    "nnlib.shallow.predict": C(dicts=["parameters"], parameters=SHALLOW_PARAMETERS, X=X23),
    "nnlib.shallow.accuracy": C(labels=["Y"], predictions=np.array([[1.0, 1.0, 0.0]]), Y=Y13),
    "nnlib.datasets.load_planar_dataset": C(m=10, seed=1),
    "nnlib.dnn_utils.sigmoid": C(elementwise=True, Z=X23),
    "nnlib.dnn_utils.relu": C(elementwise=True, Z=X23),
    "nnlib.dnn_utils.sigmoid_backward": C(elementwise=True, dA=X23, cache=2 * X23),
    "nnlib.dnn_utils.relu_backward": C(elementwise=True, dA=X23, cache=2 * X23),
    "nnlib.dnn_utils.softmax_columns": C(Z=X23),
    "nnlib.dnn_utils.softmax_backward": C(dA=X23, cache=2 * X23),
    "nnlib.linear_models.perceptron_epoch": C(labels=["y"], w=np.array([0.1, -0.2, 0.3]), X=X23.T,
                                              y=np.array([1.0, -1.0, 1.0])),
    "nnlib.dnn_utils.one_hot": C(y=np.array([0, 2, 1]), n_classes=3),
    "nnlib.dnn_utils.cross_entropy": C(AL=np.array([[0.2, 0.9, 0.6], [0.8, 0.1, 0.4]]), Y=np.array([[1.0, 0, 0], [0, 1, 1]])),
    "nnlib.network.initialize_parameters": C(n_x=2, n_h=3, n_y=1),
    "nnlib.network.initialize_parameters_deep": C(layer_dims=[2, 3, 1]),
    "nnlib.deep.linear_forward": C(A=X23, W=LIN[1], b=LIN[2]),
    "nnlib.deep.linear_activation_forward": C(A_prev=X23, W=LIN[1], b=LIN[2], activation="relu"),
    "nnlib.deep.L_model_forward": C(dicts=["parameters"], X=X23, parameters=DEEP_BN_P),
    "nnlib.deep.compute_cost": C(labels=["Y"], AL=np.array([[0.2, 0.9, 0.6]]), Y=Y13),
    "nnlib.deep.linear_backward": C(dZ=np.array([[0.1, -0.2, 0.3]]), cache=LIN),
    "nnlib.deep.linear_activation_backward": C(dA=np.array([[0.1, -0.2, 0.3]]), cache=(LIN, np.array([[1.0, -1.0, 2.0]])),
                                                activation="sigmoid"),
    "nnlib.deep.L_model_backward": C(labels=["Y"], AL=np.array([[0.2, 0.9, 0.6]]), Y=Y13,
                                      caches=[(LIN, np.array([[1.0, -1.0, 2.0]]))]),
    "nnlib.deep.update_parameters": C(dicts=["params", "grads"], params=DEEP_P, grads=DEEP_G, learning_rate=0.1),
    "nnlib.deep.L_layer_model": C(labels=["Y"], X=X23, Y=Y13, layers_dims=[2, 3, 1], num_iterations=3, batchnorm=True,
                                  record_every=1),
    "nnlib.deep.two_layer_model": C(labels=["Y"], X=X23, Y=Y13, layers_dims=(2, 3, 1), num_iterations=3),
    "nnlib.deep.predict": C(labels=["y"], dicts=["parameters"], X=X23, y=Y13, parameters=DEEP_P),
    "nnlib.deep.predict_classes": C(dicts=["parameters"], X=X23, parameters=DEEP_BN_P2),
    "nnlib.gradcheck.dictionary_to_vector": C(parameters=DEEP_P),
    "nnlib.gradcheck.vector_to_dictionary": C(theta=np.arange(13.0).reshape(-1, 1), layer_dims=[2, 3, 1]),
    "nnlib.gradcheck.gradients_to_vector": C(gradients=DEEP_G),
    "nnlib.gradcheck.gradient_check_n": C(labels=["Y"], dicts=["parameters", "gradients"], parameters=DEEP_P,
                                          gradients=DEEP_G, X=X23, Y=Y13),
    "nnlib.gradcheck.forward_propagation": C(x=np.array(3.0), theta=np.array(4.0)),
    "nnlib.gradcheck.backward_propagation": C(x=np.array(3.0), theta=np.array(4.0)),
    "nnlib.gradcheck.gradient_check": C(x=np.array(3.0), theta=np.array(4.0)),
    "nnlib.gradcheck.forward_propagation_n": C(labels=["Y"], dicts=["parameters"], X=X23, Y=Y13, parameters=REG_P),
    "nnlib.gradcheck.stable_forward_propagation_n": C(labels=["Y"], dicts=["parameters"], X=X23, Y=Y13,
                                                      parameters=REG_P),
    "nnlib.gradcheck.backward_propagation_n": C(labels=["Y"], X=X23, Y=Y13, cache=REG_CACHE),
    "nnlib.gradcheck.central_difference": C(elementwise=True, f=np.sin, x=np.array([0.5, 1.0])),
    "nnlib.gradcheck.relative_difference": C(g1=np.array([1.0, 2.0]), g2=np.array([1.0, 2.5])),
    "nnlib.regularization.l2_regularization_cost": C(parameters=REG_P, lambd=0.7, m=3),
    "nnlib.regularization.compute_cost_with_regularization": C(labels=["Y"], A3=np.array([[0.2, 0.9, 0.6]]), Y=Y13,
                                                               parameters=REG_P, lambd=0.7),
    "nnlib.regularization.l2_gradients": C(dicts=["grads"], grads={k: v for k, v in REG_G.items() if k[1] == "W"},
                                           parameters=REG_P, lambd=0.7, m=3),
    "nnlib.regularization.forward_propagation": C(dicts=["parameters"], X=X23, parameters=REG_P),
    "nnlib.regularization.backward_propagation_with_regularization": C(labels=["Y"], X=X23, Y=Y13, cache=REG_CACHE,
                                                                       lambd=0.7),
    "nnlib.regularization.dropout_forward": C(A=X23, keep_prob=0.8, rng=np.random.default_rng(0)),
    "nnlib.regularization.dropout_backward": C(dA=X23, D=np.array([[1, 0, 1], [1, 1, 0]], dtype=bool), keep_prob=0.8),
    "nnlib.regularization.forward_propagation_with_dropout": C(dicts=["parameters"], X=X23, parameters=REG_P,
                                                               keep_prob=0.5),
    "nnlib.regularization.backward_propagation_with_dropout": C(labels=["Y"], X=X23, Y=Y13, cache=DROP_CACHE,
                                                                keep_prob=0.5),
    "nnlib.regularization.initialize_parameters_zeros": C(layers_dims=[2, 3, 1]),
    "nnlib.regularization.initialize_parameters_random": C(layers_dims=[2, 3, 1]),
    "nnlib.regularization.initialize_parameters_he": C(layers_dims=[2, 3, 1]),
    "nnlib.regularization.model": C(labels=["Y"], X=X23, Y=Y13, layers_dims=[2, 3, 1], num_iterations=3, lambd=0.1,
                                    keep_prob=0.8),
    "nnlib.regularization.predict": C(dicts=["parameters"], X=X23, parameters=DEEP_P),
    "nnlib.optimizers.update_parameters_with_gd": C(dicts=["parameters", "grads"], parameters=DEEP_P, grads=DEEP_G,
                                                    learning_rate=0.1),
    "nnlib.optimizers.random_mini_batches": C(X=X23, Y=Y13, mini_batch_size=2, seed=0),
    "nnlib.optimizers.initialize_velocity": C(parameters=DEEP_P),
    "nnlib.optimizers.update_parameters_with_momentum": C(dicts=["parameters", "grads", "v"], parameters=DEEP_P,
                                                          grads=DEEP_G, v=ZEROS_G, beta=0.9, learning_rate=0.1),
    "nnlib.optimizers.initialize_rmsprop": C(parameters=DEEP_P),
    "nnlib.optimizers.update_parameters_with_rmsprop": C(dicts=["parameters", "grads", "s"], parameters=DEEP_P,
                                                         grads=DEEP_G, s=ZEROS_G),
    "nnlib.optimizers.initialize_adam": C(parameters=DEEP_P),
    "nnlib.optimizers.update_parameters_with_adam": C(dicts=["parameters", "grads", "v", "s"], parameters=DEEP_P,
                                                      grads=DEEP_G, v=ZEROS_G, s=ZEROS_G, t=2),
    "nnlib.optimizers.model": C(labels=["Y"], X=X23, Y=Y13, layers_dims=[2, 3, 1], optimizer="adam",
                                mini_batch_size=2, num_epochs=2),
    "nnlib.batchnorm.batchnorm_forward": C(Z=BN_Z, gamma=BN_GAMMA, beta=BN_BETA),
    "nnlib.batchnorm.batchnorm_backward": C(dZ_tilde=rng.normal(size=(2, 3)), cache=BN_CACHE),
    "nnlib.batchnorm.update_running_stats": C(running_mean=np.zeros((2, 1)), running_var=np.ones((2, 1)),
                                              mu=_BN_MU, var=_BN_VAR, momentum=0.9),
    "nnlib.batchnorm.batchnorm_inference": C(Z=BN_Z, gamma=BN_GAMMA, beta=BN_BETA, running_mean=_BN_MU,
                                             running_var=_BN_VAR),
    "nnlib.network.batchnorm_parameters": C(dicts=["parameters"], parameters=DEEP_P),
    "nnlib.network.build_network": C(dicts=["parameters"], parameters=DEEP_BN_P, keep_prob=0.8),
    "nnlib.rnn.rnn_cell_forward": C(dicts=["parameters"], xt=RNN_X[:, :, 0], a_prev=RNN_A0, parameters=RNN_P),
    "nnlib.rnn.rnn_forward": C(dicts=["parameters"], x=RNN_X, a0=RNN_A0, parameters=RNN_P),
    "nnlib.rnn.lstm_cell_forward": C(dicts=["parameters"], xt=RNN_X[:, :, 0], a_prev=RNN_A0, c_prev=RNN_A0,
                                     parameters=LSTM_P),
    "nnlib.rnn.lstm_forward": C(dicts=["parameters"], x=RNN_X, a0=RNN_A0, parameters=LSTM_P),
    "nnlib.rnn.rnn_cell_backward": C(da_next=RNN_A0, cache=RNN_CACHES[0][1]),
    "nnlib.rnn.rnn_backward": C(da=rng.normal(size=(3, 3, 4)), caches=RNN_CACHES),
    "nnlib.rnn.lstm_cell_backward": C(da_next=RNN_A0, dc_next=RNN_A0, cache=LSTM_CACHES[0][1]),
    "nnlib.rnn.lstm_backward": C(da=rng.normal(size=(3, 3, 4)), caches=LSTM_CACHES),
    "nnlib.language_model.initialize_parameters": C(n_a=3, n_x=4, n_y=4),
    "nnlib.language_model.rnn_step_forward": C(dicts=["parameters"], parameters=LM_P, a_prev=np.zeros((3, 1)),
                                               x=np.eye(4)[:, 1:2]),
    "nnlib.language_model.rnn_step_backward": C(dicts=["gradients", "parameters"], dy=rng.normal(size=(4, 1)),
                                                gradients=LM_G | {"da_next": np.zeros((3, 1))}, parameters=LM_P,
                                                x=np.eye(4)[:, 1:2], a=np.tanh(rng.normal(size=(3, 1))),
                                                a_prev=np.zeros((3, 1))),
    "nnlib.language_model.rnn_forward": C(dicts=["parameters"], X=[None, 1, 2], Y=[1, 2, 0], a0=np.zeros((3, 1)),
                                          parameters=LM_P),
    "nnlib.language_model.rnn_backward": C(dicts=["parameters"], X=[None, 1, 2], Y=[1, 2, 0], parameters=LM_P,
                                           cache=LM_CACHE),
    "nnlib.language_model.sample": C(dicts=["parameters", "char_to_ix"], parameters=LM_P,
                                     char_to_ix={"\n": 0, "a": 1, "b": 2, "c": 3}, seed=0),
    "nnlib.language_model.clip": C(dicts=["gradients"], gradients=LM_G, maxValue=5),
    "nnlib.language_model.update_parameters": C(dicts=["parameters", "gradients"], mutates=["parameters"],
                                                parameters=LM_P, gradients=LM_G, lr=0.01),
    "nnlib.language_model.optimize": C(dicts=["parameters"], mutates=["parameters"], X=[None, 1, 2], Y=[1, 2, 0],
                                       a_prev=np.zeros((3, 1)), parameters=LM_P),
    "nnlib.rnn_layers.RNN.forward": C(init={"n_x": 2, "n_a": 3}, A=RNN_X),
    "nnlib.rnn_layers.LSTM.forward": C(init={"n_x": 2, "n_a": 3}, A=RNN_X),
    "nnlib.rnn_layers.LastStep.forward": C(A=RNN_X),
    "nnlib.losses.MeanSquaredError.cost": C(Yhat=X23, Y=X23 + 1.0),
    "nnlib.losses.MeanSquaredError.gradient": C(Yhat=X23, Y=X23 + 1.0),
    "nnlib.losses.MaskedSigmoidCrossEntropy.cost": C(labels=["Y"], Z=X23, Y=np.array([[1.0, -1.0, 0.0], [-1.0, 0.0, 1.0]])),
    "nnlib.losses.MaskedSigmoidCrossEntropy.gradient": C(labels=["Y"], Z=X23,
                                                          Y=np.array([[1.0, -1.0, 0.0], [-1.0, 0.0, 1.0]])),
    "nnlib.conv.zero_pad": C(X=CONV_A, pad=2),
    "nnlib.conv.conv_single_step": C(a_slice_prev=CONV_A[0, :3, :3], W=CONV_W[..., 0], b=CONV_B[..., 0]),
    "nnlib.conv.conv_output_size": C(n=5, f=3, pad=1, stride=2),
    "nnlib.conv.create_mask_from_window": C(x=CONV_A[0, :2, :2, 0]),
    "nnlib.conv.distribute_value": C(dz=2.0, shape=(2, 2)),
    "nnlib.conv.conv_forward": C(dicts=["hparameters"], A_prev=CONV_A, W=CONV_W, b=CONV_B, hparameters=CONV_HP),
    "nnlib.conv.conv_forward_loops": C(dicts=["hparameters"], A_prev=CONV_A, W=CONV_W, b=CONV_B, hparameters=CONV_HP),
    "nnlib.conv.conv_backward": C(dZ=rng.normal(size=(2, 3, 3, 2)), cache=CONV_CACHE),
    "nnlib.conv.conv_backward_loops": C(dZ=rng.normal(size=(2, 3, 3, 2)), cache=CONV_CACHE),
    "nnlib.conv.pool_forward": C(dicts=["hparameters"], A_prev=CONV_A, hparameters=POOL_HP, mode="average"),
    "nnlib.conv.pool_forward_loops": C(dicts=["hparameters"], A_prev=CONV_A, hparameters=POOL_HP),
    "nnlib.conv.pool_backward": C(dA=rng.normal(size=(2, 4, 4, 3)), cache=POOL_CACHE),
    "nnlib.conv.pool_backward_loops": C(dA=rng.normal(size=(2, 4, 4, 3)), cache=POOL_CACHE, mode="average"),
    "nnlib.cnn.architecture_summary": C(input_shape=(32, 32, 1), layers=[("conv", 6, 5, 1, 0), ("pool", 2, 2), ("fc", 10)]),
    "nnlib.metrics.accuracy": C(y_true=Y13, y_pred=np.array([[1.0, 1.0, 0.0]])),
    "nnlib.metrics.confusion_matrix": C(y_true=Y13, y_pred=np.array([[1.0, 1.0, 0.0]]), labels=np.array([0.0, 1.0])),
    "nnlib.metrics.precision_recall_f1": C(labels=["y_true", "y_pred"], y_true=Y13, y_pred=np.array([[1.0, 1.0, 0.0]])),
    "nnlib.metrics.learning_curve": C(labels=["Y", "Y_dev"], X=X23, Y=Y13, X_dev=X23, Y_dev=Y13, layers_dims=[2, 3, 1],
                                      train_sizes=[2, 3], num_iterations=3),
    "nnlib.layers.Dense": C(W=rng.normal(size=(3, 2)), b=np.zeros((3, 1))),
    "nnlib.layers.BatchNorm": C(gamma=BN_GAMMA, beta=BN_BETA),
}


def public_functions():
    """Every public function of nnlib's modules, and the public methods of its public classes
    (``module.Class.method``, called on an instance made with the class's defaults)."""
    found = {}
    for info in pkgutil.iter_modules(nnlib.__path__, "nnlib."):
        if info.name.split(".")[-1].startswith("_") or info.name in EXEMPT_MODULES:
            continue
        module = importlib.import_module(info.name)
        for name, obj in vars(module).items():
            if name.startswith("_") or getattr(obj, "__module__", None) != module.__name__:
                continue
            if inspect.isfunction(obj):
                found[f"{module.__name__}.{name}"] = obj
            elif inspect.isclass(obj) and not issubclass(obj, BaseException):
                found[f"{module.__name__}.{name}"] = obj
    return found


def resolve(fname):
    """The callable behind a table key: a function, or a method of a fresh default instance."""
    if fname in FUNCTIONS:
        return FUNCTIONS[fname]
    cls_name, method = fname.rsplit(".", 1)
    return getattr(FUNCTIONS[cls_name](**VALID_CALLS[fname]["init"]), method)


FUNCTIONS = public_functions()


def test_every_public_function_is_covered():
    covered = set(VALID_CALLS) | set(NOT_ARRAY_FUNCTIONS)
    covered |= {key.rsplit(".", 1)[0] for key in VALID_CALLS if key.rsplit(".", 1)[0] in FUNCTIONS
                and inspect.isclass(FUNCTIONS[key.rsplit(".", 1)[0]])}
    missing = sorted(set(FUNCTIONS) - covered)
    assert not missing, f"public nnlib functions and classes without a robustness entry: {missing}"
    stale = sorted(k for k in VALID_CALLS if k not in FUNCTIONS and k.rsplit(".", 1)[0] not in FUNCTIONS)
    assert not stale, f"robustness entries for functions that no longer exist: {stale}"


# Public functions that take no array input to break (callables only, or nothing): each with why.
NOT_ARRAY_FUNCTIONS = {
    "nnlib.basics.basic_sigmoid": "takes a Python scalar by design (arrays raise TypeError); covered in test_basics.py",
    "nnlib.autodiff.Value": "a scalar autodiff node; its bad inputs are covered in test_autodiff.py",
    "nnlib.gradcheck.numerical_gradient": "takes a callable and a dict; covered in test_gradcheck.py",
    "nnlib.gradcheck.gradient_difference": "takes a callable and dicts; covered in test_gradcheck.py",
    "nnlib.optimizers.update_lr": "takes Python scalars (learning rate, epoch, decay rate); covered in test_optimizers.py",
    "nnlib.optimizers.schedule_lr_decay": "takes Python scalars (learning rate, epoch, decay rate, interval); "
                                          "covered in test_optimizers.py",
    "nnlib.cnn.Conv2D": "takes integers; forward/backward check shapes only (O(shapes)), test_cnn.py",
    "nnlib.cnn.Pool2D": "takes integers and a mode; forward/backward check shapes only (O(shapes)), test_cnn.py",
    "nnlib.cnn.Flatten": "a parameter-free layer; forward/backward check shapes only (O(shapes)), test_cnn.py",
    "nnlib.cnn.ResidualBlock": "takes integers; forward/backward check shapes only (O(shapes)), test_cnn.py",
    "nnlib.layers.ReLU": "a parameter-free layer; forward/backward check shapes only (O(shapes)), test_layers.py",
    "nnlib.layers.Sigmoid": "a parameter-free layer; forward/backward check shapes only (O(shapes)), test_layers.py",
    "nnlib.layers.Softmax": "a parameter-free layer; forward/backward check shapes only (O(shapes)), test_layers.py",
    "nnlib.layers.Dropout": "takes keep_prob (a scalar) and a Generator; covered in test_layers.py",
    "nnlib.layers.Sequential": "takes layer objects; covered in test_layers.py",
    "nnlib.layers.Frozen": "takes a layer object; forward/backward are the wrapped layer's (test_transfer.py)",
    "nnlib.losses.SigmoidCrossEntropy": "takes flags; its methods run inside train on checked data (test_layers.py)",
    "nnlib.losses.SoftmaxCrossEntropy": "takes a flag; its methods run inside train on checked data (test_layers.py)",
    "nnlib.optim.GradientDescent": "takes Python scalars; covered in test_layers.py",
    "nnlib.optim.Momentum": "takes Python scalars; covered in test_layers.py",
    "nnlib.optim.RMSprop": "takes Python scalars; covered in test_layers.py",
    "nnlib.optim.Adam": "takes Python scalars; covered in test_layers.py",
    "nnlib.training.TrainingOptions": "takes scalars and an optimizer object; covered in test_layers.py",
    "nnlib.network.network_parameters": "takes a Sequential from build_network; covered in test_layers.py",
    "nnlib.network.network_gradients": "takes a Sequential from build_network; covered in test_batchnorm.py",
    "nnlib.autodiff.topological_order": "takes a Value; covered in test_autodiff.py",
    "nnlib.optim.make": "takes an optimizer name and Python scalars; covered in test_layers.py",
    "nnlib.training.train": "takes a network, a loss and an options record; covered in test_layers.py",
}


def _snapshot(kwargs):
    return copy.deepcopy(kwargs)


def _assert_unmodified(before, after):
    for key, value in before.items():
        new = after[key]
        if isinstance(value, np.ndarray):
            assert value.dtype == new.dtype and value.shape == new.shape and value.tobytes() == new.tobytes(), \
                f"argument {key!r} was modified in place"
        elif isinstance(value, dict):
            assert value.keys() == new.keys(), f"dict argument {key!r} gained or lost keys"
            _assert_unmodified(value, new)


def _breakages(spec):
    """(description, argument, broken value, words one of which the message must contain)."""
    out = []
    for name, value in spec["kwargs"].items():
        if isinstance(value, np.ndarray) and np.issubdtype(value.dtype, np.number):
            nan = value.astype(float).copy()
            nan.flat[0] = np.nan
            out.append(("NaN", name, nan, [name, "NaN", "finite"]))
            if spec["finite"]:
                inf = value.astype(float).copy()
                inf.flat[-1] = np.inf
                out.append(("inf", name, inf, [name, "finite"]))
            empty = np.zeros(value.shape[:-1] + (0,)) if value.ndim else np.zeros(0)
            out.append(("empty", name, empty, [name, "empty", "shape"]))
            out.append(("strings", name, value.astype(str), [name, "numeric"]))
            out.append(("objects", name, value.astype(object), [name, "numeric"]))
            if not spec["elementwise"]:
                out.append(("extra dimension", name, value[..., None], [name, "shape", "-D"]))
            if name in spec["labels"]:
                bad = value.copy()
                bad.flat[0] = 2
                out.append(("label outside the set", name, bad, [name, "label"]))
        elif isinstance(value, dict) and name in spec["dicts"]:
            for key in value:
                broken = {k: v for k, v in value.items() if k != key}
                out.append((f"missing key {key!r}", name, broken, [key, repr(key)]))
    return out


CASES = [(fname, *b) for fname, spec in VALID_CALLS.items() for b in _breakages(spec)]


@pytest.mark.parametrize("fname", sorted(VALID_CALLS))
def test_valid_call_works_and_leaves_inputs_alone(fname):
    kwargs = _snapshot(VALID_CALLS[fname]["kwargs"])
    before = _snapshot(kwargs)
    resolve(fname)(**kwargs)
    mutates = VALID_CALLS[fname]["mutates"]
    _assert_unmodified({k: v for k, v in before.items() if k not in mutates}, kwargs)


@pytest.mark.parametrize("fname, what, arg, value, words", CASES,
                         ids=[f"{c[0].removeprefix('nnlib.')}-{c[2]}-{c[1]}" for c in CASES])
def test_bad_input_raises_a_clear_error(fname, what, arg, value, words, capsys):
    kwargs = dict(VALID_CALLS[fname]["kwargs"], **{arg: value})
    before = _snapshot(kwargs)
    with pytest.raises((ValueError, TypeError)) as error:
        resolve(fname)(**kwargs)
    message = str(error.value)
    assert any(w in message for w in words), f"{fname} with {what} in {arg!r}: message {message!r} names none of {words}"
    _assert_unmodified(before, kwargs)
