"""Tests for creditkit.store: the DuckDB credit-file store."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from creditkit import __version__
from creditkit.datasets import make_portfolio
from creditkit.exceptions import DataReadError, ParameterError, SchemaError
from creditkit.store import (
    PORTFOLIO_TABLES,
    SCHEMA_VERSION,
    STATE_TABLES,
    fingerprint,
    list_tables,
    load_portfolio,
    read_meta,
    read_table,
    write_snapshot,
    write_tables,
)


@pytest.fixture(scope="module")
def book():
    return make_portfolio(300, seed=21, kind="mixed")


@pytest.fixture
def stored(tmp_path, book):
    path = tmp_path / "store" / "book.duckdb"
    write_tables(path, book, generator={"seed": 21, "kind": "mixed"})
    return path


def test_portfolio_round_trips_with_dtypes(stored, book):
    back = load_portfolio(stored)
    assert sorted(back) == sorted(PORTFOLIO_TABLES)
    for name in PORTFOLIO_TABLES:
        pd.testing.assert_frame_equal(back[name], book[name])
    assert str(back["bills"]["issue_date"].dtype) == "datetime64[ns]"
    assert str(back["payments"]["amount_minor"].dtype) == "int64"
    assert str(back["applications"]["target"].dtype) == "Int64"


def test_meta_and_snapshots_table(stored, book):
    meta = read_meta(stored)
    assert meta["creditkit_version"] == __version__
    assert meta["fingerprint"] == fingerprint(book)
    assert json.loads(meta["generator"]) == {"kind": "mixed", "seed": 21}
    assert json.loads(meta["tables"]) == sorted(book)
    assert meta["schema_version"] == str(SCHEMA_VERSION)
    assert set(list_tables(stored)) == {*PORTFOLIO_TABLES, "meta", "snapshots", "artefacts",
                                        "snapshot_runs", "portfolio_aggregates", "quarantine",
                                        "dunning_history", "reviews", *STATE_TABLES}
    snaps = read_table(stored, "snapshots")
    assert len(snaps) == 0 and snaps.columns[:2].tolist() == ["as_of", "customer_id"]


def test_read_table_columns_and_where(stored, book):
    out = read_table(stored, "bills", columns=["amount_minor", "bill_id"],
                     where="due_date <= TIMESTAMP '2024-06-30'")
    assert out.columns.tolist() == ["amount_minor", "bill_id"]
    expected = book["bills"].loc[book["bills"]["due_date"] <= "2024-06-30", "bill_id"]
    assert out["bill_id"].tolist() == expected.tolist()


def test_write_does_not_mutate_inputs(tmp_path, book):
    before = {k: v.copy() for k, v in book.items()}
    write_tables(tmp_path / "x.duckdb", book)
    for name, df in book.items():
        pd.testing.assert_frame_equal(df, before[name])


def test_append_and_replace(tmp_path):
    path = tmp_path / "s.duckdb"
    write_tables(path, {"notes": pd.DataFrame({"x": [1, 2]})})
    fp_first = read_meta(path)["fingerprint"]
    write_tables(path, {"notes": pd.DataFrame({"x": [3]})}, replace=False)
    assert read_table(path, "notes")["x"].tolist() == [1, 2, 3]
    assert read_meta(path)["fingerprint"] != fp_first
    write_tables(path, {"notes": pd.DataFrame({"x": [9]})})
    assert read_table(path, "notes")["x"].tolist() == [9]
    assert read_meta(path)["fingerprint"] == fingerprint({"notes": pd.DataFrame({"x": [9]})})


def test_store_fingerprint_covers_every_table_written(tmp_path, book):
    path = tmp_path / "s.duckdb"
    write_tables(path, {k: book[k] for k in ("customers", "bills")})
    write_tables(path, {"payments": book["payments"]})
    expected = fingerprint({k: book[k] for k in ("customers", "bills", "payments")})
    assert read_meta(path)["fingerprint"] == expected


def test_failed_write_leaves_the_store_as_it_was(tmp_path):
    path = tmp_path / "s.duckdb"
    write_tables(path, {"a": pd.DataFrame({"x": [1]}), "b": pd.DataFrame({"y": [1]})})
    with pytest.raises(ParameterError, match="cannot append to 'b'"):
        write_tables(path, {"a": pd.DataFrame({"x": [2]}), "b": pd.DataFrame({"z": [2]})},
                     replace=False)
    assert read_table(path, "a")["x"].tolist() == [1]


def test_snapshots_replace_one_date_only(tmp_path):
    path = tmp_path / "s.duckdb"
    snap = pd.DataFrame({"customer_id": ["C1", "C2"], "dpd": [0, 40], "bucket": ["M0", "M2"]})
    assert write_snapshot(path, snap, as_of="2025-01-31") == 2
    write_snapshot(path, snap, as_of="2025-02-28")
    write_snapshot(path, snap.head(1).assign(dpd=5), as_of="2025-01-31")
    out = read_table(path, "snapshots").sort_values(["as_of", "customer_id"])
    assert out["as_of"].dt.strftime("%Y-%m-%d").tolist() == [
        "2025-01-31", "2025-02-28", "2025-02-28"]
    assert out["dpd"].tolist() == [5, 0, 40]


def test_fingerprint_is_stable_and_sensitive(book):
    assert fingerprint(book) == fingerprint({k: v.copy() for k, v in book.items()})
    bills = book["bills"].copy()
    bills.loc[0, "amount_minor"] += 1
    assert fingerprint({**book, "bills": bills}) != fingerprint(book)
    shuffled = book["bills"].iloc[::-1].reset_index(drop=True)
    assert fingerprint({**book, "bills": shuffled}) == fingerprint(book)  # row order is no content
    repeated = pd.concat([book["bills"], book["bills"].head(1)], ignore_index=True)
    assert fingerprint({**book, "bills": repeated}) != fingerprint(book)
    assert len(fingerprint(book)) == 16


# --- errors ------------------------------------------------------------------------------

def test_missing_file(tmp_path):
    with pytest.raises(DataReadError, match=r"no creditkit store at .*write_tables"):
        read_table(tmp_path / "none.duckdb", "bills")
    with pytest.raises(DataReadError, match="no creditkit store"):
        load_portfolio(tmp_path / "none.duckdb")


def test_missing_table_column_and_bad_where(stored):
    with pytest.raises(DataReadError, match="no table 'general_ledger' in the store"):
        read_table(stored, "general_ledger")
    with pytest.raises(DataReadError, match=r"column\(s\) \['nope'\] not in table 'bills'"):
        read_table(stored, "bills", columns=["bill_id", "nope"])
    with pytest.raises(DataReadError, match="cannot read 'bills' where"):
        read_table(stored, "bills", where="no_such_column > 1")


def test_load_portfolio_needs_all_tables(tmp_path):
    path = tmp_path / "s.duckdb"
    write_tables(path, {"notes": pd.DataFrame({"x": [1]})})
    with pytest.raises(DataReadError, match=r"has no .*'customers'.* table"):
        load_portfolio(path)


@pytest.mark.parametrize(("tables", "match"), [
    ({}, "non-empty mapping"),
    ({"Bad Name": pd.DataFrame({"x": [1]})}, "table name must be lower-case"),
    ({"meta": pd.DataFrame({"x": [1]})}, "table name must be"),
    ({"notes": [1, 2]}, "is a list, expected a DataFrame"),
])
def test_write_tables_rejects_bad_input(tmp_path, tables, match):
    with pytest.raises(ParameterError, match=match):
        write_tables(tmp_path / "s.duckdb", tables)


def test_write_tables_validates_canonical_tables(tmp_path, book):
    with pytest.raises(SchemaError, match=r"missing column\(s\) \['due_date'\] in bills"):
        write_tables(tmp_path / "s.duckdb", {"bills": book["bills"].drop(columns="due_date")})


def test_fingerprint_and_snapshot_errors(tmp_path):
    with pytest.raises(ParameterError, match="expected a mapping of table name"):
        fingerprint([pd.DataFrame()])
    with pytest.raises(ParameterError, match="table 't' is a int"):
        fingerprint({"t": 1})
    with pytest.raises(SchemaError, match=r"snapshot has column\(s\) \['colour'\]"):
        write_snapshot(tmp_path / "s.duckdb", pd.DataFrame({"customer_id": ["C1"],
                                                            "colour": ["red"]}), as_of="2025-01-31")
    snap = pd.DataFrame({"customer_id": ["C1"]})
    with pytest.raises(ParameterError, match="as_of must be a date"):
        write_snapshot(tmp_path / "s.duckdb", snap, as_of="end of June")
    with pytest.raises(ParameterError, match="as_of must be timezone-naive"):
        write_snapshot(tmp_path / "s.duckdb", snap, as_of="2025-06-30T23:00+08:00")


def test_unreadable_file(tmp_path):
    path = tmp_path / "junk.duckdb"
    path.write_text("not a database")
    with pytest.raises(DataReadError, match=r"cannot open DuckDB file .*junk.* not a DuckDB"):
        list_tables(path)


@pytest.fixture
def locked(stored, hold_for_writing):
    return stored, hold_for_writing(stored)


def test_every_entry_point_names_a_locked_store_and_the_fix(locked, book):
    from creditkit.datasets import load_or_make
    from creditkit.exceptions import StoreLockedError

    path, pid = locked
    calls = {
        "list_tables": lambda: list_tables(path),
        "read_table": lambda: read_table(path, "bills"),
        "read_meta": lambda: read_meta(path),
        "load_portfolio": lambda: load_portfolio(path),
        "write_tables": lambda: write_tables(path, {"notes": pd.DataFrame({"x": [1]})}),
        "write_snapshot": lambda: write_snapshot(
            path, pd.DataFrame({"customer_id": ["C1"]}), as_of="2025-06-30"),
        "load_or_make": lambda: load_or_make(path, n_customers=10, seed=1),
    }
    for name, call in calls.items():
        with pytest.raises(StoreLockedError, match=rf"{path.name}.*process {pid}.*close") as err:
            call()
        assert isinstance(err.value, DataReadError), name
        assert "another store path" in str(err.value), name


# --- hardening (#7): a garbage store is not "locked" ----------------------------------------
@pytest.mark.parametrize("content", [b"\x00\x17garbage" * 500, b"bill_id,amount\nB1,100\n" * 300])
def test_a_file_that_is_not_duckdb_is_said_so_everywhere(tmp_path, content):
    import creditkit.io
    from creditkit.exceptions import StoreLockedError

    path = tmp_path / "old.duckdb"
    path.write_bytes(content)
    for call in (lambda: list_tables(path), lambda: read_table(path, "bills"),
                 lambda: creditkit.io.read_table(path)):
        with pytest.raises(DataReadError, match=r"old\.duckdb.*not a DuckDB database.*"
                                                r"another \.duckdb file.*regenerate") as err:
            call()
        assert not isinstance(err.value, StoreLockedError)
        assert "open for writing" not in str(err.value)


def test_io_read_table_of_a_locked_store_names_the_holder(locked):
    import creditkit.io
    from creditkit.exceptions import StoreLockedError

    path, pid = locked
    with pytest.raises(StoreLockedError, match=rf"{path.name}.*process {pid}.*close"):
        creditkit.io.read_table(path, sheet="bills")
