"""statusdiff: will this Marketo program sync with that Salesforce campaign?

Library use (the CLI is a thin shell over the same calls)::

    import statusdiff
    channels = statusdiff.read_channels("channels.json").records
    campaigns = statusdiff.read_statuses("CampaignMemberStatus.csv").records
    result = statusdiff.compare(channels, campaigns)          # every campaign × every channel
    plans = statusdiff.plan_all(result)                        # remediation for blocked pairs

or, from file paths to a whole report::

    report = statusdiff.run(statusdiff.Job(channels=["channels.json"], statuses="cms.csv",
                                           pairs="pairs.csv"), generated_at="2026-03-02T09:00:00Z")

Names are imported on first use, so `statusdiff --version` stays fast.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

__version__ = "0.1.0"

_EXPORTS = {
    "compare": "statusdiff.comparison",
    "verdict": "statusdiff.comparison",
    "Rule": "statusdiff.comparison",
    "plan_all": "statusdiff.remediate",
    "run": "statusdiff.pipeline",
    "Job": "statusdiff.pipeline",
    "Report": "statusdiff.pipeline",
    "read": "statusdiff.read",
    "read_channels": "statusdiff.read",
    "read_statuses": "statusdiff.read",
    "read_members": "statusdiff.read",
    "read_campaigns": "statusdiff.read",
    "read_pairs": "statusdiff.read",
    "read_templates": "statusdiff.read",
    "ReadOptions": "statusdiff.read",
    "read_baseline": "statusdiff.baseline",
    "check_baseline": "statusdiff.baseline",
}

__all__ = ["__version__", *sorted(_EXPORTS)]


def __getattr__(name: str) -> Any:
    """Import the public API lazily (PEP 562)."""
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'statusdiff' has no attribute {name!r}")
    return getattr(import_module(module), name)
