"""Schema versions of the store: a 0.1.0 file migrates, a newer one is refused with the fix."""

from __future__ import annotations

import gzip
import shutil
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from creditkit.exceptions import StoreVersionError
from creditkit.schema import TABLES
from creditkit.store import (
    SCHEMA_VERSION,
    credit_file,
    list_tables,
    load_portfolio,
    migrate,
    portfolio_aggregates,
    portfolio_at,
    read_meta,
    read_table,
    write_snapshot,
    write_tables,
)

KEPT = Path(__file__).resolve().parents[1] / "data" / "store_0.1.0.duckdb.gz"


@pytest.fixture
def old_store(tmp_path: Path) -> Path:
    """The store file creditkit 0.1.0 wrote (12 customers, one snapshot of 5 rows on 2025-06-30)."""
    path = tmp_path / "old.duckdb"
    with gzip.open(KEPT, "rb") as src, path.open("wb") as dst:
        shutil.copyfileobj(src, dst)
    return path


def test_the_kept_file_is_a_0_1_0_store(old_store):
    meta = read_meta(old_store)
    assert meta["creditkit_version"] == "0.1.0" and "schema_version" not in meta
    assert [c for c in read_table(old_store, "snapshots").columns] == [
        "as_of", "customer_id", "score", "pd", "tier", "limit_minor", "outstanding_minor", "dpd",
        "bucket"]


def test_snapshot_readers_ask_for_the_migration_by_name(old_store):
    with pytest.raises(StoreVersionError, match=r"schema version 1 .*creditkit\.store\.migrate"):
        portfolio_at(old_store, "2025-06-30")


def test_migration_keeps_every_row_and_gives_the_new_layout(old_store, tmp_path):
    before_tables = load_portfolio(old_store)
    before_snap = read_table(old_store, "snapshots").sort_values("customer_id")
    assert migrate(old_store) == 1
    assert migrate(old_store) == SCHEMA_VERSION  # a second run changes nothing
    assert read_meta(old_store)["schema_version"] == str(SCHEMA_VERSION)
    for name, df in load_portfolio(old_store).items():
        pd.testing.assert_frame_equal(df, before_tables[name])
    snap = portfolio_at(old_store, "2025-06-30")
    assert snap.columns.tolist() == TABLES["snapshots"].names
    pd.testing.assert_frame_equal(snap[before_snap.columns].reset_index(drop=True),
                                  before_snap.reset_index(drop=True), check_dtype=False)
    assert snap["scorecard_version"].isna().all() and snap["dunning_level"].isna().all()
    fresh = tmp_path / "fresh.duckdb"
    write_snapshot(fresh, pd.DataFrame({"customer_id": ["X"]}), as_of="2025-01-31")
    con = duckdb.connect(str(fresh), read_only=True)
    new_layout = {t: con.execute(f'DESCRIBE "{t}"').fetchall() for t in list_tables(fresh)}
    con.close()
    con = duckdb.connect(str(old_store), read_only=True)
    old_layout = {t: con.execute(f'DESCRIBE "{t}"').fetchall() for t in new_layout}
    con.close()
    assert old_layout == new_layout  # a migrated file and a new one are the same store


def test_a_write_migrates_and_the_old_snapshot_stays(old_store):
    write_snapshot(old_store, pd.DataFrame({"customer_id": ["C00000001"], "dpd": [3],
                                            "currency": ["CNY"]}), as_of="2025-07-31")
    assert len(portfolio_at(old_store, "2025-06-30")) == 5
    assert credit_file(old_store, "C00000001").history["as_of"].dt.strftime("%m").tolist() == [
        "06", "07"]
    agg = portfolio_aggregates(old_store)
    assert set(agg["as_of"].dt.strftime("%m")) == {"07"}  # 0.1.0 kept no aggregates


@pytest.fixture
def newer_store(tmp_path: Path) -> Path:
    path = tmp_path / "newer.duckdb"
    write_snapshot(path, pd.DataFrame({"customer_id": ["C1"]}), as_of="2025-06-30")
    con = duckdb.connect(str(path))
    con.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    con.execute("INSERT OR REPLACE INTO meta VALUES ('creditkit_version', '9.0.0')")
    con.close()
    return path


def test_a_store_of_a_newer_creditkit_is_refused_everywhere_with_the_fix(newer_store):
    from creditkit.update import compare_dates, update

    calls = {
        "read_table": lambda: read_table(newer_store, "snapshots"),
        "read_meta": lambda: read_meta(newer_store),
        "write_tables": lambda: write_tables(newer_store, {"notes": pd.DataFrame({"x": [1]})}),
        "write_snapshot": lambda: write_snapshot(newer_store, pd.DataFrame(
            {"customer_id": ["C1"]}), as_of="2025-07-31"),
        "portfolio_at": lambda: portfolio_at(newer_store, "2025-06-30"),
        "credit_file": lambda: credit_file(newer_store, "C1"),
        "compare_dates": lambda: compare_dates(newer_store, "2025-06-30", "2025-06-30"),
        "migrate": lambda: migrate(newer_store),
        "update": lambda: update(newer_store, as_of="2025-07-31"),
    }
    for name, call in calls.items():
        with pytest.raises(StoreVersionError, match=r"schema version 99 .*creditkit 9\.0\.0.*"
                                                    r"upgrade creditkit") as err:
            call()
        assert "another store path" in str(err.value), name
    con = duckdb.connect(str(newer_store), read_only=True)  # nothing was written
    assert con.execute("SELECT count(*) FROM snapshots").fetchone()[0] == 1
    con.close()


def test_a_garbled_schema_version_names_the_problem(newer_store):
    con = duckdb.connect(str(newer_store))
    con.execute("UPDATE meta SET value = 'two' WHERE key = 'schema_version'")
    con.close()
    with pytest.raises(StoreVersionError, match="schema_version is 'two', not a number"):
        portfolio_at(newer_store, "2025-06-30")
