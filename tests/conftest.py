"""Test configuration: tests/ on sys.path (for tests/book.py), and Hypothesis profiles.

Under CI (CI=true) Hypothesis is derandomized, so a CI run is reproducible; locally it explores
new examples on every run (and remembers failures in .hypothesis/).
"""

import os
import sys
from pathlib import Path

from hypothesis import settings

sys.path.insert(0, str(Path(__file__).parent))

settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
settings.register_profile("dev", deadline=None)
settings.load_profile("ci" if os.environ.get("CI") else "dev")
