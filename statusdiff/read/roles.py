"""Give each input file its role: by the option that names it, else by its content.

A consultant passes whatever exports they have, in any order. JSON and XML files are Marketo
channels; tables are recognised by their headers (the same alias tables the readers use). A file
whose headers fit two roles equally is an error that names the roles and the option that settles
it. Each file is read once: the records come back with the role.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from ..errors import HeaderError, RoleError, StatusDiffError
from ..i18n import phrase
from ..model import Role
from ..progress import Progress
from . import Loaded, ReadOptions, read

ROLE_OPTIONS: Mapping[Role, str] = {
    Role.CHANNELS: "--channels",
    Role.STATUSES: "--statuses",
    Role.MEMBERS: "--members",
    Role.CAMPAIGNS: "--campaigns",
    Role.PAIRS: "--pairs",
}
"""The compare option that forces each role."""


@dataclass(frozen=True, slots=True)
class Assigned:
    """One input file, its role and its records."""

    path: str
    role: Role
    loaded: Loaded[Any]


def assign(
    files: Sequence[str],
    forced: Mapping[Role, Sequence[str]],
    options: Mapping[Role, ReadOptions],
    progress: Progress | None = None,
) -> list[Assigned]:
    """Read every file: forced ones as their role, the others as the role their content shows.

    The result does not depend on the order of the command line: files come by role (channels,
    statuses, members, campaigns, pairs), then by path, so the same files give the same report.
    """
    out = [
        Assigned(path, role, read(path, role, options.get(role), progress))
        for role in Role
        for path in forced.get(role, ())
    ]
    out.extend(_by_content(path, options, progress) for path in files)
    rank = {role: i for i, role in enumerate(Role)}
    out.sort(key=lambda a: (rank[a.role], a.path))
    return out


def _by_content(
    path: str, options: Mapping[Role, ReadOptions], progress: Progress | None
) -> Assigned:
    """Read one file as whatever its content shows, then with that role's options if any."""
    base = _shared_options(options)
    try:
        loaded = read(path, None, base, progress)
    except RoleError as exc:
        raise _settle(exc) from None
    except HeaderError as exc:
        # A header no alias knows may be named by --column ROLE.FIELD=HEADER: try those roles.
        for role, role_options in options.items():
            if role_options.columns:
                try:
                    loaded = read(path, role, role_options, progress)
                except StatusDiffError:
                    continue
                return Assigned(path, role, _by_content_detection(loaded))
        named = " / ".join(f"{o} FILE" for o in ROLE_OPTIONS.values())
        exc.hint = (
            phrase("input.or_name_role", hint=exc.hint, options=named)
            if exc.hint
            else phrase("input.name_role", options=named)
        )
        raise
    role = loaded.detection.role
    wanted = options.get(role)
    if wanted is not None and wanted != base:
        loaded = _by_content_detection(read(path, role, wanted, progress))
    return Assigned(path, role, loaded)


def _shared_options(options: Mapping[Role, ReadOptions]) -> ReadOptions:
    """Options that hold whatever the role: the limits (--limit), the one-campaign name
    (--campaign) and whether to keep member IDs. A file is read with them before its role is
    known."""
    shared = ReadOptions()
    limits = {o.limits for o in options.values()}
    if len(limits) == 1:
        shared = replace(shared, limits=limits.pop())
    campaigns = {o.campaign for o in options.values() if o.campaign is not None}
    if len(campaigns) == 1:
        shared = replace(shared, campaign=campaigns.pop())
    if any(o.member_ids for o in options.values()):
        shared = replace(shared, member_ids=True)  # read only by a members export
    return shared


def _by_content_detection(loaded: Loaded[Any]) -> Loaded[Any]:
    return Loaded(loaded.records, replace(loaded.detection, role_by="content"))


def _settle(exc: RoleError) -> RoleError:
    """Say which options settle a file whose headers fit several roles."""
    options = [ROLE_OPTIONS[Role(r)] for r in exc.roles] or list(ROLE_OPTIONS.values())
    exc.hint = phrase(
        "input.name_role", options=phrase("suggest.or").join(f"{o} FILE" for o in options)
    )
    return exc


__all__ = ["ROLE_OPTIONS", "Assigned", "assign"]
