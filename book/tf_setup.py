"""Import TensorFlow and Keras quietly: the TensorFlow chapters and tests/test_tf_oracle.py import them from here.

TensorFlow writes start-up lines to stderr (a oneDNN notice, CPU-feature notes, absl's
"log messages before absl::InitializeLog()"); the book's strict build fails on any stderr output.
The two environment variables must be set before TensorFlow is imported:

- ``TF_CPP_MIN_LOG_LEVEL=3``: the C++ runtime reports errors only;
- ``TF_ENABLE_ONEDNN_OPTS=0``: no oneDNN custom kernels — no notice, and TensorFlow's CPU kernels
  sum in a fixed order (oneDNN may reorder floating-point sums, its notice says).

Python-side logging (``tf.get_logger()``, absl) is set to errors only. The CPU wheel
(tensorflow-cpu) has no CUDA, so there is no GPU probing to silence.
A downloaded chapter notebook placed in ``book/`` of a clone finds this file next to it.
"""

import logging
import os

os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
os.environ["TF_ENABLE_ONEDNN_OPTS"] = "0"
os.environ.setdefault("KERAS_BACKEND", "tensorflow")

try:
    import absl.logging  # noqa: E402  (after the environment variables, on purpose)
    import tensorflow as tf  # noqa: E402
    import keras  # noqa: E402
except ImportError as error:                       # a reader's environment without TensorFlow
    raise ImportError("the TensorFlow chapters need TensorFlow: pip install tensorflow-cpu==2.21.0 "
                      "(the version requirements.txt pins)") from error

absl.logging.set_verbosity(absl.logging.ERROR)
tf.get_logger().setLevel(logging.ERROR)

__all__ = ["tf", "keras"]
