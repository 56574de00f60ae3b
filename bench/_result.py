"""The one line a timed child prints for the harness (kept tiny: children import only this)."""

from __future__ import annotations

import json
import sys
from typing import Any

RESULT_PREFIX = "BENCH "
"""A child prints one line `BENCH {json}` with its op time and anything else it measured."""


def result_line(op: float, **extra: Any) -> None:
    """Report the op time (and extra figures) to the harness."""
    sys.stdout.write(RESULT_PREFIX + json.dumps({"op": op, **extra}) + "\n")
    sys.stdout.flush()
