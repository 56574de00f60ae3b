"""The one place that writes files: atomically (temp file + rename), or to stdout for '-'."""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path

from .errors import OutputError

Rendered = bytes | Iterable[bytes]
"""What a renderer returns: the whole file, or its chunks (big reports, bounded memory)."""


def _chunks(data: Rendered) -> Iterable[bytes]:
    return (data,) if isinstance(data, bytes) else data


def write(destination: str, data: Rendered) -> None:
    """Write to a path atomically, or to stdout when destination is '-'.

    Chunks are consumed as they are rendered; if rendering fails half-way, the temporary file is
    removed and the destination is left as it was.
    """
    if destination == "-":
        for chunk in _chunks(data):
            sys.stdout.buffer.write(chunk)
        sys.stdout.buffer.flush()
        return
    path = Path(destination)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise OutputError(
            f"cannot write here ({exc.strerror})", file=destination, hint="choose another folder"
        ) from exc
    try:
        with os.fdopen(fd, "wb") as handle:
            for chunk in _chunks(data):
                handle.write(chunk)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise OutputError(f"cannot write ({exc.strerror})", file=destination) from exc
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_many(folder: str, files: Mapping[str, bytes]) -> list[str]:
    """Write several files into a folder, each atomically; return their paths."""
    written = []
    for name, data in files.items():
        target = str(Path(folder) / name)
        write(target, data)
        written.append(target)
    return written
