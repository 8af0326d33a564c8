"""CPU time, from /proc: how much the server spent per request, and how much processes
this run did not start took meanwhile.

The machine may be shared (a test suite, another server): their CPU time during a run is
reported next to its figures, since it comes straight off what the site could use.
"""

from __future__ import annotations

import os
import time

from knobs import CPUS, QUIET_BUDGET, QUIET_WAIT, say
from processes import children_of


def cpu_snapshot() -> tuple[int, int, int]:
    """(all processes' user+system ticks, this run's ticks, steal ticks) so far."""
    with open("/proc/stat") as f:
        user, nice, system, _idle, _iowait, _irq, _softirq, steal = map(
            int, f.readline().split()[1:9]
        )
    ours = 0
    me = os.getpid()
    for pid in [me, *children_of(me)]:
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        # utime, stime, and the times of children it has waited for (wrk, recycled workers)
        ours += sum(int(value) for value in fields[11:15])
    return user + nice + system, ours, steal


def tree_ticks(pid: int) -> int:
    """CPU ticks of a server: its own, its workers', and those of workers it has reaped."""
    total = 0
    for member in [pid, *children_of(pid)]:
        try:
            with open(f"/proc/{member}/stat") as f:
                total += sum(int(v) for v in f.read().rsplit(")", 1)[1].split()[11:15])
        except OSError:
            continue
    return total


def wait_idle(server: int, limit: float = 10) -> None:
    """Until the server has used (almost) no CPU for 0.2 s."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        before = tree_ticks(server)
        time.sleep(0.2)
        if tree_ticks(server) - before <= 1:
            return


def other_cpu_share(before, after, seconds: float) -> float:
    """Share of the machine's CPU (0-1) used by processes this run did not start."""
    ticks = os.sysconf("SC_CLK_TCK") * seconds * CPUS
    busy, ours, steal = (b - a for a, b in zip(before, after, strict=True))
    return max(0.0, busy - ours + steal) / ticks


quiet_budget = [QUIET_BUDGET]  # seconds still to spend waiting, in all


def wait_for_quiet(threshold: float = 0.10) -> None:
    """Wait a little (bounded) while other processes take more than `threshold` of the CPU."""
    waited = 0.0
    while True:
        before = cpu_snapshot()
        time.sleep(0.5)
        share = other_cpu_share(before, cpu_snapshot(), 0.5)
        if share < threshold or waited >= QUIET_WAIT or quiet_budget[0] <= 0:
            break
        waited += 0.5
        quiet_budget[0] -= 0.5
    if waited:
        say(f"waited {waited:.0f} s for other processes to quieten down (now {share:.0%} CPU)")
