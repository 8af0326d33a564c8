"""Memory of gunicorn's workers, sampled from /proc while the bench runs.

VmHWM (peak resident) counts the pages a worker shares with the master (preload_app), so it
overstates what one more worker costs; that is the private figure.
"""

from __future__ import annotations

import threading

from processes import children_of


def read_kb(path: str, names: tuple[str, ...]) -> dict[str, int]:
    values = {}
    try:
        with open(path) as f:
            for line in f:
                name, _, rest = line.partition(":")
                if name in names:
                    values[name] = int(rest.split()[0])
    except (OSError, ValueError):
        pass
    return values


class MemorySampler(threading.Thread):
    """Peak VmHWM (resident), PSS and private memory of every worker of one gunicorn master.

    Workers are recycled (max_requests), so they are sampled while they live: the figure
    is the highest any worker reached.
    """

    def __init__(self, master_pid: int, interval: float = 0.25):
        super().__init__(daemon=True)
        self.master_pid = master_pid
        self.interval = interval
        self.peaks: dict[int, dict[str, int]] = {}
        self.master: dict[str, int] = {}
        self.halt = threading.Event()

    def sample(self) -> None:
        self.master = read_kb(f"/proc/{self.master_pid}/status", ("VmHWM", "VmRSS"))
        for pid in children_of(self.master_pid):
            status = read_kb(f"/proc/{pid}/status", ("VmHWM",))
            rollup = read_kb(f"/proc/{pid}/smaps_rollup", ("Pss", "Private_Clean", "Private_Dirty"))
            if not status:
                continue
            now = {
                "hwm": status.get("VmHWM", 0),
                "pss": rollup.get("Pss", 0),
                "private": rollup.get("Private_Clean", 0) + rollup.get("Private_Dirty", 0),
            }
            peak = self.peaks.setdefault(pid, now)
            for key, value in now.items():
                peak[key] = max(peak[key], value)

    def run(self) -> None:
        while not self.halt.wait(self.interval):
            self.sample()

    def stop(self) -> None:
        self.sample()
        self.halt.set()
        self.join()

    def peak(self, key: str) -> float:
        return max((p[key] for p in self.peaks.values()), default=0) / 1024
