"""Shared fixtures: a small synthetic portfolio, its store, and an exported overview report.

Session-scoped, so each pytest(-xdist) worker builds them once.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pandas as pd
import pytest

REPO = Path(__file__).resolve().parents[1]
NOTEBOOKS = REPO / "notebooks"
OVERVIEW = NOTEBOOKS / "00-portfolio-overview.ipynb"
#: The last day of the small test portfolio; notebooks are run with it as ``as_of``.
AS_OF = "2025-06-30"
#: A string from "data" that must never reach a report unescaped.
SCRIPT_PAYLOAD = "<script>window.__pwned = 1</script>"


@pytest.fixture(scope="session")
def small_portfolio() -> dict[str, pd.DataFrame]:
    """300 mixed BNPL/B2B customers, 2024-01-01 to AS_OF (a fresh copy per call is up to you)."""
    from creditkit.datasets import make_portfolio

    return make_portfolio(300, seed=7, kind="mixed", start="2024-01-01", end=AS_OF)


@pytest.fixture(scope="session")
def small_store(tmp_path_factory: pytest.TempPathFactory,
                small_portfolio: dict[str, pd.DataFrame]) -> Path:
    """The small portfolio written to a DuckDB store."""
    from creditkit.store import write_tables

    path = tmp_path_factory.mktemp("store") / "creditkit.duckdb"
    write_tables(path, small_portfolio,
                 generator={"n_customers": 300, "seed": 7, "kind": "mixed", "end": AS_OF})
    return path


@pytest.fixture(scope="session")
def overview_report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The overview report (zh) of 500 customers, one region renamed to a script payload."""
    from creditkit.datasets import make_portfolio
    from creditkit.reporting import run_notebook
    from creditkit.store import write_tables

    d = tmp_path_factory.mktemp("overview")
    tables = make_portfolio(500, seed=11, kind="mixed", start="2024-01-01", end=AS_OF)
    customers = tables["customers"].copy()
    customers.loc[customers["kind"] == "business", "region"] = SCRIPT_PAYLOAD
    tables = {**tables, "customers": customers}
    store = d / "creditkit.duckdb"
    write_tables(store, tables)
    return run_notebook(OVERVIEW, {"store_path": str(store), "as_of": AS_OF, "lang": "zh"},
                        d / "reports", timeout=300)


@pytest.fixture(scope="session")
def portfolio_as_of() -> str:
    """The last day of the small portfolios (notebooks run with it as ``as_of``)."""
    return AS_OF


@pytest.fixture(scope="session")
def script_payload() -> str:
    """The script string planted in the overview report's data."""
    return SCRIPT_PAYLOAD


@pytest.fixture
def hold_for_writing() -> Iterator[Callable[[Path], int]]:
    """Open a DuckDB file for writing in another process (as an open notebook kernel would).

    Call it with the path; returns the holder's pid. The holders are killed at teardown.
    """
    holders: list[subprocess.Popen] = []
    code = ("import duckdb, sys, time; con = duckdb.connect(sys.argv[1]); "
            "print('open', flush=True); time.sleep(120)")

    def hold(path: Path) -> int:
        proc = subprocess.Popen([sys.executable, "-c", code, str(path)],
                                stdout=subprocess.PIPE, text=True)
        holders.append(proc)
        assert proc.stdout is not None and proc.stdout.readline().strip() == "open"
        return proc.pid

    yield hold
    for proc in holders:
        proc.kill()
        proc.wait()


@pytest.fixture(scope="session")
def small_parameters(small_store: Path) -> Callable[[Path], dict]:
    """For a notebook: the small-run values (small store, AS_OF, en) of the parameters it has."""
    from creditkit.reporting import notebook_parameters

    shared = {"store_path": str(small_store), "as_of": AS_OF, "lang": "en",
              "n_customers": 300, "seed": 7}

    def small(nb: Path) -> dict:
        return {k: v for k, v in shared.items() if k in notebook_parameters(nb)}

    return small


@pytest.fixture(scope="session")
def spark():
    """One local Spark session (local[2], 4 shuffle partitions, UI off) for the whole run.

    Skipped with the fix when pyspark or Java is missing (``make test`` installs both).
    Tests using it are marked ``spark`` and run in one process (``make spark``), so the
    JVM starts once.
    """
    from creditkit.spark import SparkUnavailableError, local_session

    try:
        session = local_session(2, config={"spark.sql.shuffle.partitions": "4"})
    except SparkUnavailableError as e:
        pytest.skip(str(e))
    yield session
