"""The one place that writes files: whole output sets, moved into place together, or stdout.

A run's reports and change files form one *output set*. Every file of the set is first written into
a hidden staging folder beside its target (`.statusdiff-tmp-…`, same file system), and only when all
of them were written are they renamed into place, one after the other, in a moment. A run that
fails or is stopped (SIGTERM, Ctrl-C) removes its staging folders and leaves the previous set as it
was; the staging folder of a run killed outright (`kill -9`, power loss) is removed by the next run.

A folder the set owns (`--changes DIR`) holds exactly the latest set: the files a previous run wrote
there (listed in `.DIR.statusdiff-set`, beside the folder) that this run does not write are removed
when the set moves in.

Two runs writing into the same folder take turns: each holds a lock file (`.statusdiff.lock`) on
every target folder from the first staged byte until its set is in place; the other waits up to
`LOCK_WAIT` seconds, then gives up with a clear message.

New files honour the umask (they are created with mode 0666 less the umask, like any program's);
a file that is replaced keeps its mode. An output that is one of the run's inputs (the same file,
or the same path once links are resolved) is refused before anything is moved into place.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import stat
import sys
import tempfile
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType

from .errors import OutputError
from .i18n import phrase

try:  # NOTE: POSIX only; without fcntl (Windows) runs are not serialised.
    import fcntl
except ImportError:  # pragma: no cover - not on the CI platform
    fcntl = None  # type: ignore[assignment]

Rendered = bytes | Iterable[bytes]
"""What a renderer returns: the whole file, or its chunks (big reports, bounded memory)."""

STAGING_PREFIX = ".statusdiff-tmp-"
LOCK_NAME = ".statusdiff.lock"
MANIFEST_SUFFIX = ".statusdiff-set"


def manifest_of(folder: Path) -> Path | None:
    """Where the set last written into folder is recorded: `.NAME.statusdiff-set` beside it."""
    full = folder.resolve()
    if not full.name:
        return None
    return full.parent / f".{full.name}{MANIFEST_SUFFIX}"


LOCK_WAIT = 60.0
"""Seconds a run waits for another run writing into the same folder."""


def _chunks(data: Rendered) -> Iterable[bytes]:
    return (data,) if isinstance(data, bytes) else data


def same_file(a: str | Path, b: str | Path) -> bool:
    """Whether two paths name one file: the same inode, or the same path once links resolve."""
    try:
        if os.path.samefile(a, b):
            return True
    except OSError:
        pass
    try:
        return Path(a).resolve() == Path(b).resolve()
    except (OSError, RuntimeError):
        return False


def _os_error(key: str, exc: OSError, where: str) -> OutputError:
    """A system error while writing, as one line: what failed, where, and what to do."""
    return OutputError(
        phrase(key, reason=exc.strerror or str(exc)), file=where, hint=phrase(f"{key}.hint")
    )


def refuse_inputs(outputs: Iterable[str], inputs: Iterable[str]) -> None:
    """Raise OutputError when an output path is one of the inputs (checked before reading)."""
    ins = [i for i in inputs if i]
    for out in outputs:
        if out == "-":
            continue
        for source in ins:
            if same_file(out, source):
                raise OutputError(
                    phrase("cli.output_is_input", input=source),
                    file=out,
                    hint=phrase("cli.output_is_input.hint"),
                )


@dataclass(slots=True)
class _Root:
    """One target folder: its lock and its staging folder."""

    path: Path
    lock_fd: int | None = None
    staging: Path | None = None
    staged: list[tuple[Path, Path]] = field(default_factory=list)
    """(staged file, final path)."""


class OutputSet:
    """The files of one run, staged beside their targets and moved into place together.

    Use as a context manager: leaving it with an exception (or a signal turned into one) removes
    everything staged; `commit()` moves the set into place.
    """

    def __init__(
        self,
        roots: Iterable[str | Path],
        *,
        protected: Iterable[str] = (),
        whole_folders: Iterable[str | Path] = (),
    ) -> None:
        self._roots: dict[Path, _Root] = {}
        self._protected = [p for p in protected if p]
        self._whole = {Path(f) for f in whole_folders}
        """Folders the set owns (--changes): files of the previous set absent from this one go."""
        self._order = sorted({Path(r) for r in roots}, key=lambda p: str(p.absolute()))

    def __enter__(self) -> OutputSet:
        try:
            for root in self._order:  # NOTE: one global order, so two runs never deadlock
                self._acquire(root)
        except BaseException:
            self.abort()
            raise
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.abort()

    def _acquire(self, folder: Path) -> None:
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise _os_error("cli.cannot_write_here", exc, str(folder)) from exc
        root = _Root(folder)
        self._roots[folder] = root
        root.lock_fd = _lock(folder)
        _remove_stale(folder)
        try:
            root.staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=folder))
        except OSError as exc:
            raise _os_error("cli.cannot_write_here", exc, str(folder)) from exc

    def add(self, root: str | Path, relative: str, data: Rendered) -> str:
        """Stage one file (streamed chunk by chunk); return its final path."""
        entry = self._roots.get(Path(root))
        if entry is None or entry.staging is None:
            raise ValueError(f"{root} is not a folder of this output set")
        final = entry.path / relative
        staged = entry.staging / f"{len(entry.staged)}"
        try:
            fd = os.open(staged, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
            with os.fdopen(fd, "wb") as handle:
                for chunk in _chunks(data):
                    handle.write(chunk)
                handle.flush()
                os.fsync(handle.fileno())
        except OSError as exc:
            raise _os_error("cli.cannot_write", exc, str(final)) from exc
        entry.staged.append((staged, final))
        return str(final)

    def commit(self) -> list[str]:
        """Check every target, then move the whole set into place; return the final paths."""
        moves = [move for root in self._roots.values() for move in root.staged]
        refuse_inputs([str(final) for _, final in moves], self._protected)
        for _, final in moves:
            if final.is_dir() and not final.is_symlink():
                raise OutputError(
                    phrase("cli.output_is_folder"),
                    file=str(final),
                    hint=phrase("cli.output_is_folder.hint"),
                )
        for staged, final in moves:
            try:
                final.parent.mkdir(parents=True, exist_ok=True)
                with contextlib.suppress(OSError):
                    before = os.lstat(final)
                    if stat.S_ISREG(before.st_mode):
                        os.chmod(staged, stat.S_IMODE(before.st_mode))
                os.replace(staged, final)
            except OSError as exc:
                raise _os_error("cli.cannot_write", exc, str(final)) from exc
        for root in self._roots.values():
            if root.path in self._whole:
                self._replace_manifest(root)
        return [str(final) for _, final in moves]

    def _replace_manifest(self, root: _Root) -> None:
        """Remove the previous set's files this set does not hold, then record this set.

        The manifest (`.DIR.statusdiff-set`, beside the folder so the folder holds only the set)
        lists what the last run wrote into a folder it owns, so a run writing fewer change files
        never leaves an older run's files beside its RUNBOOK. Only plain files inside the folder
        that the manifest names are removed; never an input.
        """
        manifest = manifest_of(root.path)
        if manifest is None:
            return
        names = sorted(str(final.relative_to(root.path)) for _, final in root.staged)
        with contextlib.suppress(OSError, UnicodeDecodeError):
            base = root.path.resolve()
            for line in manifest.read_text(encoding="utf-8").splitlines():
                if not line or line in names:
                    continue
                old = root.path / line
                try:
                    inside = old.parent.resolve().is_relative_to(base)
                    regular = stat.S_ISREG(os.lstat(old).st_mode)
                except OSError:
                    continue
                if inside and regular and not any(same_file(old, p) for p in self._protected):
                    with contextlib.suppress(OSError):
                        old.unlink()
        assert root.staging is not None  # commit() runs before abort()
        staged = root.staging / "manifest"
        try:
            staged.write_text("".join(f"{n}\n" for n in names), encoding="utf-8")
            os.replace(staged, manifest)
        except OSError as exc:
            raise _os_error("cli.cannot_write", exc, str(manifest)) from exc

    def abort(self) -> None:
        """Remove every staging folder and release every lock (idempotent)."""
        for root in self._roots.values():
            if root.staging is not None:
                shutil.rmtree(root.staging, ignore_errors=True)
                root.staging = None
            if root.lock_fd is not None:
                _unlock(root.path, root.lock_fd)
                root.lock_fd = None
        self._roots.clear()


def _lock(folder: Path) -> int | None:
    """Take the folder's lock file, waiting up to LOCK_WAIT seconds for another run."""
    if fcntl is None:  # pragma: no cover
        return None
    path = folder / LOCK_NAME
    deadline = time.monotonic() + LOCK_WAIT
    while True:
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o666)
        except OSError as exc:
            raise _os_error("cli.cannot_write_here", exc, str(folder)) from exc
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            if time.monotonic() >= deadline:
                raise OutputError(
                    phrase("cli.locked"), file=str(folder), hint=phrase("cli.locked.hint")
                ) from None
            time.sleep(0.05)
            continue
        # NOTE: the previous holder unlinks the lock file when done; a lock taken on an unlinked
        # file protects nothing, so take it again on the file that is there now.
        try:
            if os.fstat(fd).st_ino == os.stat(path).st_ino:
                return fd
        except OSError:
            pass
        os.close(fd)


def _unlock(folder: Path, fd: int) -> None:
    with contextlib.suppress(OSError):
        (folder / LOCK_NAME).unlink()
    with contextlib.suppress(OSError):
        os.close(fd)


def _remove_stale(folder: Path) -> None:
    """Remove staging folders of runs that were killed (we hold the folder's lock: none is live)."""
    with contextlib.suppress(OSError):
        for entry in folder.iterdir():
            if entry.name.startswith(STAGING_PREFIX) and entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry, ignore_errors=True)


def write_stdout(data: Rendered) -> None:
    """Write a report to standard output."""
    try:
        for chunk in _chunks(data):
            sys.stdout.buffer.write(chunk)
        sys.stdout.buffer.flush()
    except OSError as exc:
        raise stdout_error(exc) from exc


def stdout_error(exc: OSError) -> OutputError:
    """The one-line error for a standard output that cannot be written (full disk, closed pipe)."""
    silence_stdout()
    return OutputError(
        phrase("cli.stdout_failed", reason=exc.strerror or str(exc)),
        file=phrase("cli.stdout"),
        hint=phrase("cli.stdout_failed.hint"),
    )


def silence_stdout() -> None:
    """Point stdout at /dev/null, so the interpreter's final flush cannot fail again."""
    with contextlib.suppress(OSError, ValueError):
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
        os.close(null)


def _split(destination: str) -> tuple[Path, str]:
    path = Path(destination)
    return path.parent, path.name


def write(destination: str, data: Rendered) -> None:
    """Write one file as a set of one (or to stdout when destination is '-')."""
    if destination == "-":
        write_stdout(data)
        return
    root, name = _split(destination)
    with OutputSet([root]) as out:
        out.add(root, name, data)
        out.commit()


def write_many(folder: str, files: Mapping[str, bytes]) -> list[str]:
    """Write several files into a folder as one set (the folder's previous set is replaced)."""
    with OutputSet([folder], whole_folders=[folder]) as out:
        for name, data in files.items():
            out.add(folder, name, data)
        return out.commit()
