"""The HTML page budget alone: plan_page decides, from the report only, what gets a section."""

from __future__ import annotations

import pytest

from statusdiff.pipeline import Job, Report, run
from statusdiff.render import htmlplan
from statusdiff.render.htmlplan import plan_page

from .conftest import GENERATED_AT, ROOT


def _report(**files: str) -> Report:
    return run(Job(channels=["samples/marketo-channels.json"], **files), generated_at=GENERATED_AT)


@pytest.fixture(autouse=True)
def _at_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


def _samples() -> Report:
    return _report(
        statuses="samples/salesforce-member-statuses.csv",
        pairs="samples/program-campaign-pairs.csv",
    )


def test_samples_plan() -> None:
    plan = plan_page(_samples())
    # blocked first, then the one that cannot be checked, then those that sync
    assert [p.index for p in plan.in_summary] == [2, 3, 4, 6, 7, 1, 5]
    assert plan.detailed == frozenset({2, 3, 4, 6})
    assert [p.index for p in plan.explained] == [7]
    assert [p.index for p in plan.evidenced] == [1, 5]
    assert plan.evidence_cut == 0
    assert dict(plan.anchors) == {i: f"p{i}" for i in (1, 2, 3, 4, 5, 6, 7)}
    assert plan.lists_compatible


def test_plan_is_pure() -> None:
    report = _samples()
    assert plan_page(report) == plan_page(report)


def test_clones_share_one_section_and_the_largest_comes_first(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    report = _report(
        statuses="tests/fixtures/html/statuses.csv", pairs="tests/fixtures/html/pairs.csv"
    )
    plan = plan_page(report)
    sizes = sorted(len(g) for g in plan.groups)
    assert plan.blocked == sum(sizes)
    assert max(sizes) == 2  # Clone A and Clone B: one section
    monkeypatch.setattr(htmlplan, "DETAIL_LIMIT", 1)
    small = plan_page(report)
    assert [len(g) for g in small.groups] == [2]
    assert small.groups_total == plan.groups_total > 1
    assert {p.index for p in small.groups[0]} == small.detailed


def test_big_runs_keep_no_evidence_of_pairs_that_sync(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(htmlplan, "EVIDENCE_RUN", 3)
    monkeypatch.setattr(htmlplan, "LIST_ALL", 3)
    plan = plan_page(_samples())
    assert plan.evidenced == ()
    assert plan.evidence_cut == 2
    assert not plan.lists_compatible
    assert [p.index for p in plan.in_summary] == [2, 3, 4, 6, 7]
