"""Reproducibility (#7 part 3): same inputs and parameters, byte-identical outputs.

Across two runs, and across a shuffled row order of the inputs (outputs
compared sorted by their key): clean_file's outputs, the aging tables and the
report manifest's data fingerprint.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from creditkit.aging import aging_at_dates, bill_aging, customer_aging
from creditkit.datasets import make_portfolio

AS_OF = "2025-06-30"
DATES = ["2025-03-31", "2025-04-30", "2025-05-31", AS_OF]


@pytest.fixture(scope="module")
def book() -> dict[str, pd.DataFrame]:
    return make_portfolio(150, seed=11, kind="mixed", end=AS_OF)


def _shuffle(df: pd.DataFrame, seed: int = 3) -> pd.DataFrame:
    return df.sample(frac=1.0, random_state=seed).reset_index(drop=True)


def _parquet(df: pd.DataFrame) -> bytes:
    buf = io.BytesIO()
    df.to_parquet(buf, index=False)
    return buf.getvalue()


def _by(df: pd.DataFrame, key: list[str]) -> pd.DataFrame:
    return df.sort_values(key, kind="stable").reset_index(drop=True)


# --- cleaning --------------------------------------------------------------------------------
def _raw_bills(book: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """The portfolio's bills as an export would give them, with some rows to quarantine."""
    b = book["bills"].head(400).copy()
    raw = pd.DataFrame({
        "bill_id": b["bill_id"].astype(str), "customer_id": b["customer_id"].astype(str),
        "issue_date": b["issue_date"].dt.strftime("%Y-%m-%d"),
        "due_date": b["due_date"].dt.strftime("%Y/%m/%d"),
        "amount": [f"¥{v // 100:,}.{v % 100:02d}" for v in b["amount_minor"]],
        "currency": b["currency"].astype(str)})
    bad = pd.DataFrame({
        "bill_id": ["X1", "X2", "X3", raw["bill_id"].iloc[0]],
        "customer_id": ["C?", raw["customer_id"].iloc[1], "", raw["customer_id"].iloc[0]],
        "issue_date": ["2025-01-01", "not a date", "2025-01-01", raw["issue_date"].iloc[0]],
        "due_date": ["2025-02-01", "2025-02-01", "2025-02-01", raw["due_date"].iloc[0]],
        "amount": ["abc", "10.00", "5.00", raw["amount"].iloc[0]],  # the last: an exact copy
        "currency": ["CNY", "CNY", "CNY", raw["currency"].iloc[0]]})
    return pd.concat([raw, bad], ignore_index=True)


def _clean(raw: pd.DataFrame, tmp: Path, name: str) -> dict[str, bytes]:
    from creditkit.cleaning import clean_file

    src = tmp / f"{name}.csv"
    raw.to_csv(src, index=False)
    out = tmp / f"out_{name}"
    clean_file(src, "bills", out, as_of=AS_OF)
    return {p.name: p.read_bytes() for p in sorted(out.iterdir()) if p.is_file()}


def test_clean_file_twice_gives_identical_bytes(book, tmp_path):
    raw = _raw_bills(book)
    first, second = _clean(raw, tmp_path, "a"), _clean(raw, tmp_path, "b")
    assert set(first) >= {"clean.parquet", "quarantine.csv", "quality.json"}
    for name in first:
        body = first[name].replace(b"a.csv", b"x.csv")
        assert body == second[name].replace(b"b.csv", b"x.csv"), name


def test_clean_file_of_shuffled_rows_gives_the_same_tables(book, tmp_path):
    raw = _raw_bills(book)
    first, second = _clean(raw, tmp_path, "a"), _clean(_shuffle(raw), tmp_path, "b")
    clean_a = pd.read_parquet(io.BytesIO(first["clean.parquet"]))
    clean_b = pd.read_parquet(io.BytesIO(second["clean.parquet"]))
    pd.testing.assert_frame_equal(_by(clean_a, ["bill_id"]), _by(clean_b, ["bill_id"]))
    quar_a = pd.read_csv(io.BytesIO(first["quarantine.csv"]), dtype=str, keep_default_na=False)
    quar_b = pd.read_csv(io.BytesIO(second["quarantine.csv"]), dtype=str, keep_default_na=False)
    # the row numbers a quarantine line cites are positions in the input: they follow its order
    content = [c for c in quar_a.columns if c not in ("row", "source_row", "line", "source_line")]
    for q in (quar_a, quar_b):
        q["message"] = q["message"].str.replace(r"(source row|line) \d+", r"\1 N", regex=True)
    pd.testing.assert_frame_equal(_by(quar_a[content], content), _by(quar_b[content], content))
    qa, qb = json.loads(first["quality.json"]), json.loads(second["quality.json"])
    assert _without_rows(qa) == _without_rows(qb)


def test_quality_log_does_not_follow_row_order(book, tmp_path):
    raw = _raw_bills(book)
    first, second = _clean(raw, tmp_path, "a"), _clean(_shuffle(raw), tmp_path, "b")
    logs = [json.loads(out["quality.json"])["log"][1:] for out in (first, second)]
    assert logs[0] == logs[1]


def _without_rows(doc):
    """quality.json without source row numbers, file names and the log (input-order bound)."""
    if isinstance(doc, dict):
        return {k: _without_rows(v) for k, v in doc.items()
                if k not in ("rows", "row", "source", "source_rows", "examples", "log")}
    if isinstance(doc, list):
        return [_without_rows(v) for v in doc]
    return doc


# --- aging -----------------------------------------------------------------------------------
AGING = {
    "customer_aging": (lambda b, p: customer_aging(b, p, as_of=AS_OF), ["customer_id", "currency"]),
    "bill_aging": (lambda b, p: bill_aging(b, p, as_of=AS_OF), ["bill_id"]),
    "aging_at_dates": (lambda b, p: aging_at_dates(b, p, dates=DATES),
                       ["as_of", "customer_id", "currency"]),
}


@pytest.mark.parametrize("name", AGING)
def test_aging_twice_gives_identical_parquet_bytes(book, name):
    run, _ = AGING[name]
    assert _parquet(run(book["bills"], book["payments"])) == _parquet(
        run(book["bills"].copy(), book["payments"].copy()))


@pytest.mark.parametrize("name", AGING)
def test_aging_of_shuffled_rows_gives_the_same_table(book, name):
    run, key = AGING[name]
    first = run(book["bills"], book["payments"])
    second = run(_shuffle(book["bills"]), _shuffle(book["payments"], seed=4))
    key = [k for k in key if k in first.columns]
    a, b = _by(first, key), _by(second, key)
    pd.testing.assert_frame_equal(a, b, check_exact=True)
    assert _parquet(a) == _parquet(b)


# --- report manifests ------------------------------------------------------------------------
def test_data_fingerprint_is_the_same_across_runs_and_row_order(book, tmp_path):
    from creditkit.reporting import data_fingerprint
    from creditkit.store import write_tables

    tables = {k: book[k] for k in ("customers", "bills", "payments")}
    shuffled = {k: _shuffle(v, seed=9) for k, v in tables.items()}
    paths = [tmp_path / f"{n}.duckdb" for n in ("a", "b", "c")]
    for path, t in zip(paths, (tables, tables, shuffled), strict=True):
        write_tables(path, t, generator={"seed": 11})
    prints = [data_fingerprint(p) for p in paths]
    assert prints[0] and prints[0] == prints[1] == prints[2]
    changed = {**tables, "bills": tables["bills"].assign(
        amount_minor=tables["bills"]["amount_minor"] + np.int64(1))}
    write_tables(tmp_path / "d.duckdb", changed, generator={"seed": 11})
    assert data_fingerprint(tmp_path / "d.duckdb") != prints[0]
