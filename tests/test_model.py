"""The model package: every shared type in one place, re-exported from `statusdiff.model`."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import statusdiff.model as model
from statusdiff import comparison, remediate

ROOT = Path(__file__).resolve().parents[1]


def test_every_name_resolves_to_the_type_defined_in_the_model() -> None:
    for name in model.__all__:
        found = getattr(model, name)
        defined_in = getattr(found, "__module__", "statusdiff.model")
        if isinstance(found, type):
            assert defined_in.startswith("statusdiff.model."), (name, defined_in)


def test_the_result_and_plan_types_live_in_the_model_only() -> None:
    """comparison and remediate use the model's types; they define none of their own."""
    assert comparison.PairResult is model.PairResult
    assert comparison.Comparison is model.Comparison
    assert comparison.Verdict is model.Verdict
    assert remediate.Plan is model.Plan
    assert remediate.OptionB is model.OptionB
    for module in (comparison, remediate):
        for name in dir(module):
            value = getattr(module, name)
            if isinstance(value, type) and value.__module__ == module.__name__:
                # Only the machinery: per-channel facts, the index, option A's ranking.
                assert name in {"ChannelFacts", "_Index", "_Ranking", "_Shared"}, name


def test_importing_the_model_loads_no_comparison_machinery() -> None:
    """`statusdiff --version` imports the model's inputs only: the result types load on use."""
    code = (
        "import sys, statusdiff.model; "
        "print(sorted(m for m in ('statusdiff.model.result', 'statusdiff.model.plans', "
        "'statusdiff.explain', 'rapidfuzz') if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert out.stdout.strip() == "[]"


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="NoSuchType"):
        model.NoSuchType  # noqa: B018
