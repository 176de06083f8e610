"""Memory growth of a block of code, shared by the benchmarks that time in one process.

``with Peak() as pk: ...`` samples the process's RSS every 10 ms on a thread and
leaves ``pk.grow``: the peak growth over the block, in GiB. (Benchmarks that need
each stage's own peak run it in a fresh process instead, as bench/memory.py does.)
"""

from __future__ import annotations

import threading
import time

import psutil


class Peak:
    """RSS growth while a block runs (sampled every 10 ms)."""

    def __enter__(self):
        self.proc = psutil.Process()
        self.base = self.peak = self.proc.memory_info().rss
        self.stop = False
        self.t = threading.Thread(target=self._run, daemon=True)
        self.t.start()
        return self

    def _run(self):
        while not self.stop:
            self.peak = max(self.peak, self.proc.memory_info().rss)
            time.sleep(0.01)

    def __exit__(self, *exc):
        self.stop = True
        self.t.join()
        self.grow = (self.peak - self.base) / 2**30
