"""Run one command and write its wall time, exit status, CPU time and peak RSS (stdlib only).

    python bench/_spawn.py REPORT.json TIMEOUT_SECONDS MEMORY_LIMIT_MB COMMAND [ARGS...]

Why a separate spawner: on Linux a process's ru_maxrss starts from the memory high-water mark of
the process it was forked from, so children started straight from the harness (which grows as it
runs, e.g. once Playwright is imported) would report the harness's memory as theirs. This process
stays at about 10 MB and starts the command with posix_spawn, so the peak it reports (os.wait4's
ru_maxrss) is the command's own, with a floor of about 10 MB. The wall time is measured here, around
spawn and wait, so the spawner's own start-up is not counted.

MEMORY_LIMIT_MB (0 = none) caps the command's address space (RLIMIT_AS), so that a run that would
exhaust the machine fails with MemoryError instead of waking the kernel's OOM killer on a shared
machine.
"""

from __future__ import annotations

import json
import os
import resource
import signal
import sys
import time


def main() -> int:
    """Spawn, wait, report."""
    report, timeout, limit_mb, cmd = sys.argv[1], float(sys.argv[2]), int(sys.argv[3]), sys.argv[4:]
    if limit_mb > 0:
        limit = limit_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    killed = []
    started = time.perf_counter()
    pid = os.posix_spawnp(cmd[0], cmd, os.environ)

    def on_alarm(*_: object) -> None:
        killed.append(True)
        os.kill(pid, signal.SIGKILL)

    signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, timeout)
    _, status, usage = os.wait4(pid, 0)
    wall = time.perf_counter() - started
    signal.setitimer(signal.ITIMER_REAL, 0)
    with open(report, "w", encoding="utf-8") as handle:
        json.dump(
            {
                "code": os.waitstatus_to_exitcode(status),
                "wall": wall,
                "cpu": usage.ru_utime + usage.ru_stime,
                "maxrss_kb": usage.ru_maxrss,
                "timed_out": bool(killed),
            },
            handle,
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
