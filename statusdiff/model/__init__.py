"""The model every stage shares, in one place.

- `model.inputs`: what was read (channels, campaigns and their member statuses, member counts,
  Campaign export rows, pairings) and what the reader guessed about each file (Detection);
- `model.result`: what the comparison found (PairResult, the shared Verdict of a status set,
  Matrix, Summary, Comparison);
- `model.plans`: what to do about it (Action, options A, B and C, Plan).

Every name is re-exported here: `from statusdiff.model import PairResult, Plan, Campaign`.
Pure data (plus binding a shared verdict to one campaign's records): the rules that decide live
in rule.py, comparison.py and remediate/.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from .inputs import (
    NOT_IN_PROGRAM,
    Campaign,
    CampaignInfo,
    Channel,
    Detection,
    MemberCounts,
    MemberStatus,
    Note,
    Pairing,
    ProgramStatus,
    Role,
    Skipped,
    Source,
    TemplateRecord,
    TypeTemplate,
    is_pseudo_status,
)

if TYPE_CHECKING:
    from .plans import (
        ACTION_ORDER,
        Act,
        Action,
        BlastEntry,
        Loss,
        Option,
        OptionA,
        OptionB,
        OptionC,
        OptionKey,
        Owner,
        Plan,
        Risk,
    )
    from .result import (
        Advisory,
        Alternative,
        CampaignFit,
        Comparison,
        Difference,
        Kind,
        Match,
        Matrix,
        PairResult,
        Problem,
        Ranker,
        StatusSet,
        Summary,
        Verdict,
        VerdictRow,
    )

# NOTE: the result and plan types load on first use (PEP 562): `import statusdiff.model` stays as
# light as the inputs alone, so `statusdiff --version` and `--help` import no comparison machinery
# (tests/test_library.py). `from statusdiff.model import PairResult` works as usual.
_LAZY = {
    "ACTION_ORDER": "plans",
    "Act": "plans",
    "Action": "plans",
    "BlastEntry": "plans",
    "Loss": "plans",
    "Option": "plans",
    "OptionA": "plans",
    "OptionB": "plans",
    "OptionC": "plans",
    "OptionKey": "plans",
    "Owner": "plans",
    "Plan": "plans",
    "Risk": "plans",
    "Advisory": "result",
    "Alternative": "result",
    "CampaignFit": "result",
    "Comparison": "result",
    "Difference": "result",
    "Kind": "result",
    "Match": "result",
    "Matrix": "result",
    "PairResult": "result",
    "Problem": "result",
    "Ranker": "result",
    "StatusSet": "result",
    "Summary": "result",
    "Verdict": "result",
    "VerdictRow": "result",
}


def __getattr__(name: str) -> Any:
    """Load a result or plan type on first use."""
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


__all__ = [
    "ACTION_ORDER",
    "NOT_IN_PROGRAM",
    "Act",
    "Action",
    "Advisory",
    "Alternative",
    "BlastEntry",
    "Campaign",
    "CampaignFit",
    "CampaignInfo",
    "Channel",
    "Comparison",
    "Detection",
    "Difference",
    "Kind",
    "Loss",
    "Match",
    "Matrix",
    "MemberCounts",
    "MemberStatus",
    "Note",
    "Option",
    "OptionA",
    "OptionB",
    "OptionC",
    "OptionKey",
    "Owner",
    "PairResult",
    "Pairing",
    "Plan",
    "Problem",
    "ProgramStatus",
    "Ranker",
    "Risk",
    "Role",
    "Skipped",
    "Source",
    "StatusSet",
    "Summary",
    "TemplateRecord",
    "TypeTemplate",
    "Verdict",
    "VerdictRow",
    "is_pseudo_status",
]
