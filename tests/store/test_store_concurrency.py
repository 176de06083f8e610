"""A write is all or nothing, even killed midway; readers in other processes wait it out."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pandas as pd

from creditkit.store import (
    credit_file,
    portfolio_aggregates,
    portfolio_at,
    snapshot_dates,
    write_update,
)

ROOT = Path(__file__).resolve().parents[2]


def _rows(n: int, dpd: int) -> pd.DataFrame:
    return pd.DataFrame({"customer_id": [f"C{i:05d}" for i in range(n)], "currency": "CNY",
                         "dpd": dpd, "outstanding_minor": 100 * (dpd + 1), "tier": "standard"})


def _python(code: str, *args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", textwrap.dedent(code), *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            cwd=ROOT, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})


KILLED_WRITER = """
    import sys, time
    import pandas as pd
    import creditkit.store.snapshots as snapshots
    from creditkit.store import write_update

    def stall(con, day):  # the rows of the date are deleted and rewritten, not committed
        n = con.execute("SELECT count(*) FROM snapshots WHERE as_of = ?", [day]).fetchone()[0]
        print("MIDWAY", n, flush=True)
        time.sleep(120)

    snapshots.write_aggregates = stall
    rows = pd.DataFrame({"customer_id": [f"N{i}" for i in range(50)], "dpd": 9})
    write_update(sys.argv[1], rows, as_of="2025-06-30", run={"note": "never committed"})
"""


def test_a_write_killed_midway_leaves_the_previous_snapshot_intact(tmp_path):
    path = tmp_path / "s.duckdb"
    write_update(path, _rows(30, 0), as_of="2025-05-31", run={"note": "may"})
    write_update(path, _rows(20, 1), as_of="2025-06-30", run={"note": "june"})
    before = {d: portfolio_at(path, d) for d in ("2025-05-31", "2025-06-30")}
    aggregates = portfolio_aggregates(path)
    proc = _python(KILLED_WRITER, str(path))
    try:
        line = proc.stdout.readline().split()
        assert line == ["MIDWAY", "50"], proc.stderr.read()  # inside the transaction: replaced
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.kill()
        proc.wait()
    assert proc.returncode == -signal.SIGKILL
    for day, frame in before.items():
        pd.testing.assert_frame_equal(portfolio_at(path, day), frame)
    pd.testing.assert_frame_equal(portfolio_aggregates(path), aggregates)
    from creditkit.store import run_info

    assert run_info(path, as_of="2025-06-30")["note"] == "june"
    # and the store takes the next write
    write_update(path, _rows(5, 2), as_of="2025-06-30")
    assert len(portfolio_at(path, "2025-06-30")) == 5
    assert len(portfolio_at(path, "2025-05-31")) == 30


WRITER = """
    import sys
    import pandas as pd
    from creditkit.store import write_update

    for i in range(int(sys.argv[2])):
        n, dpd = (40, 1) if i % 2 else (25, 2)
        rows = pd.DataFrame({"customer_id": [f"C{k:05d}" for k in range(n)], "currency": "CNY",
                             "dpd": dpd, "outstanding_minor": 100 * (dpd + 1), "tier": "standard"})
        write_update(sys.argv[1], rows, as_of="2025-06-30")
    print("WROTE", sys.argv[2], flush=True)
"""

READER = """
    import json, sys, time
    from creditkit.store import portfolio_aggregates, portfolio_at, credit_file

    seen, bad = [], []
    end = time.monotonic() + float(sys.argv[2])
    while time.monotonic() < end:
        snap = portfolio_at(sys.argv[1], "2025-06-30", wait=60)
        state = (len(snap), sorted(set(snap["dpd"].tolist())))
        if state not in [(25, [2]), (40, [1])]:
            bad.append(str(state))
        agg = portfolio_aggregates(sys.argv[1], wait=60)
        agg = agg[agg["as_of"] == "2025-06-30"].set_index("measure")["value"]
        if int(agg["customers"]) not in (25, 40):
            bad.append("aggregates " + str(int(agg["customers"])))
        credit_file(sys.argv[1], "C00000", wait=60)
        seen.append(state[0])
    print(json.dumps({"reads": len(seen), "sizes": sorted(set(seen)), "bad": bad}), flush=True)
"""


def test_readers_in_other_processes_see_whole_dates_while_one_writes(tmp_path):
    path = tmp_path / "s.duckdb"
    write_update(path, _rows(25, 2), as_of="2025-06-30")
    write_update(path, _rows(10, 0), as_of="2025-05-31")
    writer = _python(WRITER, str(path), "30")
    readers = [_python(READER, str(path), "6") for _ in range(2)]
    out = []
    for proc in readers:
        stdout, stderr = proc.communicate(timeout=300)
        assert proc.returncode == 0, stderr
        out.append(json.loads(stdout.strip().splitlines()[-1]))
    stdout, stderr = writer.communicate(timeout=300)
    assert writer.returncode == 0 and "WROTE 30" in stdout, stderr
    for got in out:
        assert got["bad"] == [] and got["reads"] > 0
    assert len(portfolio_at(path, "2025-06-30")) == 40  # the writer's last state (i = 29)
    assert [d.strftime("%m") for d in snapshot_dates(path)] == ["05", "06"]
    assert len(portfolio_at(path, "2025-05-31")) == 10  # the other date was never touched
    assert credit_file(path, "C00000").history["dpd"].tolist() == [0, 1]


HOLDING_WRITER = """
    import sys, time
    import duckdb
    con = duckdb.connect(sys.argv[1])  # a writer holding the file, as a notebook building snapshots
    print("holding", flush=True)
    time.sleep(float(sys.argv[2]))
    con.close()
"""


def test_a_notebook_reading_the_store_waits_out_a_writer(tmp_path):
    # two notebooks exported side by side: one writes snapshots while the other loads the book
    from creditkit.datasets import load_or_make
    from creditkit.exceptions import StoreLockedError

    path = tmp_path / "book.duckdb"
    first = load_or_make(path, n_customers=30, seed=3, as_of="2025-06-30")
    writer = _python(HOLDING_WRITER, str(path), "3")
    assert writer.stdout.readline().strip() == "holding"
    try:
        try:
            load_or_make(path, wait=0)
            raise AssertionError("a store held for writing was read without waiting")
        except StoreLockedError as exc:
            assert "open for writing" in str(exc)
        again = load_or_make(path, wait=60)  # the default: waits for the writer to finish
    finally:
        writer.wait(timeout=60)
    assert writer.returncode == 0, writer.stderr.read()
    assert again["bills"].equals(first["bills"])
