"""Shared fixtures: a small synthetic portfolio, its store, exported reports.

Session-scoped, so each pytest(-xdist) worker builds them once. Notebook reports of the
small store are exported once per run, not once per test module: ``notebook_reports``
keeps them in a cache shared by the xdist workers and by the later browser step (see
:class:`ReportCache`).
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import multiprocessing
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from pathlib import Path
from typing import Any

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


# --- notebook reports, exported once per run -------------------------------------------------

#: Where exported reports are shared between xdist workers and pytest runs (``make test``
#: empties it first, so each CI run exports every report once).
REPORT_CACHE = Path(os.environ.get("CREDITKIT_REPORT_CACHE")
                    or REPO / ".pytest_cache" / "creditkit-reports")
#: At most this many notebooks export at once, over all workers (the CI machine has 2 cores).
EXPORT_SLOTS = 2


def _tree_digest(root: Path, patterns: Iterable[str]) -> str:
    digest = hashlib.sha256()
    for pattern in patterns:
        for f in sorted(root.rglob(pattern)):
            if "__pycache__" not in f.parts and f.is_file():
                digest.update(str(f.relative_to(root)).encode())
                digest.update(f.read_bytes())
    return digest.hexdigest()


def _environment_digest() -> str:
    """The package's source and data files, and the installed distributions' versions."""
    from importlib import metadata

    dists = sorted(f"{d.metadata['Name']}=={d.version}" for d in metadata.distributions())
    digest = hashlib.sha256(sys.version.encode())
    digest.update("\n".join(dists).encode())
    digest.update(_tree_digest(REPO / "creditkit", ["*"]).encode())
    return digest.hexdigest()


@contextlib.contextmanager
def _flock(path: Path, *, blocking: bool = True) -> Iterator[bool]:
    """An exclusive lock on ``path`` (across processes and threads); yields if it was got."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a") as f:
        try:
            fcntl.flock(f, fcntl.LOCK_EX | (0 if blocking else fcntl.LOCK_NB))
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)


@contextlib.contextmanager
def _export_slot(root: Path) -> Iterator[None]:
    """One of EXPORT_SLOTS machine-wide export slots (waits for a free one)."""
    while True:
        for i in range(EXPORT_SLOTS):
            with _flock(root / f"slot-{i}.lock", blocking=False) as got:
                if got:
                    yield
                    return
        time.sleep(0.2)


class ReportCache:
    """Notebook reports (``run_notebook`` with ``keep_ipynb``) exported once and shared.

    An entry is keyed by the notebook's bytes, its parameters (the session's small store
    by its data fingerprint, as each xdist worker has its own copy of the same data), the
    package's source and the installed versions; a file lock per entry makes a second
    worker asking for the same report wait for the first one's export and read it.
    ``export`` returns the HTML; the executed notebook is beside it
    (``<stem>.executed.ipynb``) and ``run_info`` tells which store the run read.
    A failed export is not kept: the next test asking runs it again and sees the error.
    """

    def __init__(self, root: Path, small_store: Path) -> None:
        self.root = root
        self.small_store = small_store
        self._env = _environment_digest()
        from creditkit.reporting import data_fingerprint

        self._store_key = f"small-store:{data_fingerprint(small_store)}"

    def _key(self, nb: Path, params: dict[str, Any]) -> str:
        shown = {k: (self._store_key if isinstance(v, str) and k.endswith("_path")
                     and Path(v) == self.small_store else v) for k, v in params.items()}
        digest = hashlib.sha256(self._env.encode())
        digest.update(nb.read_bytes())
        digest.update(json.dumps(shown, sort_keys=True, default=str).encode())
        return f"{nb.stem}-{digest.hexdigest()[:20]}"

    def _ensure(self, nb: Path, params: dict[str, Any], key: str,
                run: Callable[..., Any]) -> Path:
        """The entry's HTML; exported with ``run`` (run_notebook or a pool's) unless kept."""
        entry = self.root / key
        html = entry / f"{nb.stem}.html"
        if (entry / "run.json").is_file():
            return html
        with _flock(self.root / f"{key}.lock"):
            if (entry / "run.json").is_file():  # another worker exported it meanwhile
                return html
            shutil.rmtree(entry, ignore_errors=True)
            with _export_slot(self.root):
                got = Path(run(nb, params, entry, timeout=300, keep_ipynb=True))
            assert got == html, (got, html)
            done = entry / "run.json.tmp"  # run.json marks the entry complete: written whole
            done.write_text(json.dumps({"parameters": params}, default=str), encoding="utf-8")
            done.replace(entry / "run.json")
        return html

    def export(self, nb: Path, params: dict[str, Any]) -> Path:
        """The report of ``nb`` run with ``params`` (exported here unless already kept)."""
        from creditkit.reporting import run_notebook

        return self._ensure(nb, params, self._key(nb, params), run_notebook)

    def export_many(self, runs: dict[Any, tuple[Path, dict[str, Any]]]
                    ) -> dict[Any, Path | Exception]:
        """Several reports, EXPORT_SLOTS at a time in spawned processes: {id: html or error}.

        Entries another worker is exporting are left to the end (waited for, then read).
        """
        from creditkit.reporting import run_notebook  # a package function: spawn imports it

        found: dict[Any, Path | Exception] = {}
        with ProcessPoolExecutor(EXPORT_SLOTS,
                                 mp_context=multiprocessing.get_context("spawn")) as pool:
            def in_pool(*args: Any, **kwargs: Any) -> Path:
                return pool.submit(run_notebook, *args, **kwargs).result()

            def one(ident: Any) -> None:
                nb, params = runs[ident]
                try:
                    found[ident] = self._ensure(nb, params, self._key(nb, params), in_pool)
                except Exception as exc:  # one notebook failing must not hide the others
                    found[ident] = exc

            free, busy = [], []
            for ident, (nb, params) in runs.items():
                with _flock(self.root / f"{self._key(nb, params)}.lock", blocking=False) as got:
                    (free if got else busy).append(ident)
            with ThreadPoolExecutor(EXPORT_SLOTS) as threads:
                list(threads.map(one, free + busy))
        return found

    @staticmethod
    def run_info(html: Path) -> dict[str, Any]:
        """What the run of a kept report was given: {"parameters": {...}}."""
        return json.loads((html.parent / "run.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def notebook_reports(small_store: Path) -> ReportCache:
    """The run's shared notebook reports (:class:`ReportCache` in REPORT_CACHE)."""
    return ReportCache(REPORT_CACHE, small_store)
