"""creditkit.creditfile: a credit file at a date, its tables in words, the monthly history."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pandas as pd
import pytest

from creditkit.aging import customer_aging
from creditkit.creditfile import (
    credit_file_report,
    credit_file_view,
    default_customer,
    ensure_snapshots,
    file_date,
    month_ends,
    monthly_history,
    shown_changes,
    shown_dunning,
    shown_history,
)
from creditkit.exceptions import DataReadError, ParameterError
from creditkit.privacy import mask_id_number, mask_name, mask_phone
from creditkit.store import portfolio_at, read_table, snapshot_dates, write_tables

END = "2025-06-30"


@pytest.fixture(scope="module")
def book() -> dict[str, pd.DataFrame]:
    from creditkit.datasets import make_portfolio

    return make_portfolio(150, seed=5, kind="mixed", start="2024-06-01", end=END)


@pytest.fixture(scope="module")
def store(book, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("creditfile") / "book.duckdb"
    write_tables(path, book)
    written = monthly_history(path, end=END, months=3)
    assert [str(d.date()) for d in written] == ["2025-04-30", "2025-05-31", "2025-06-30"]
    return path


def test_month_ends_stop_at_the_last_month_end_on_or_before_the_date() -> None:
    assert [str(d.date()) for d in month_ends("2024-03-01", 2)] == ["2024-01-31", "2024-02-29"]
    assert month_ends("2024-03-01", 0) == []
    with pytest.raises(ParameterError, match="months"):
        month_ends("2024-03-01", -1)


def test_monthly_history_writes_only_what_is_missing(store: Path) -> None:
    before = snapshot_dates(store)
    assert monthly_history(store, end=END, months=3) == []
    assert snapshot_dates(store) == before
    assert ensure_snapshots(store, as_of=END, months=3) == []


def test_a_missing_earlier_month_rebuilds_from_it(book, tmp_path: Path) -> None:
    from creditkit.update import update

    path = tmp_path / "b.duckdb"
    write_tables(path, book)
    update(path, as_of=END)
    written = monthly_history(path, end=END, months=2)
    assert [str(d.date()) for d in written] == ["2025-05-31", "2025-06-30"]
    assert [str(d.date()) for d in snapshot_dates(path)] == ["2025-05-31", "2025-06-30"]


def test_ensure_snapshots_refuses_to_write_when_told_not_to(book, tmp_path: Path) -> None:
    path = tmp_path / "c.duckdb"
    write_tables(path, book)
    with pytest.raises(DataReadError, match="no snapshot on or before 2025-06-30"):
        ensure_snapshots(path, as_of=END, months=0)
    with pytest.raises(DataReadError, match="pass as_of"):
        ensure_snapshots(path, as_of=None)


def test_default_customer_is_the_largest_past_due(store: Path) -> None:
    book = portfolio_at(store, END)
    top = book["past_due_minor"].fillna(0).max()
    assert top > 0, "the test book should have someone past due"
    cid = default_customer(store)
    assert book.set_index("customer_id").loc[cid, "past_due_minor"] == top
    earlier = default_customer(store, as_of="2025-05-15")  # the April snapshot
    april = portfolio_at(store, "2025-04-30").set_index("customer_id")["past_due_minor"]
    assert april[earlier] == april.fillna(0).max()


def test_file_date_is_the_latest_snapshot_on_or_before(store: Path) -> None:
    assert str(file_date(store).date()) == END
    assert str(file_date(store, "2025-06-29").date()) == "2025-05-31"
    with pytest.raises(DataReadError, match="first is 2025-04-30"):
        file_date(store, "2025-01-31")


def test_identity_is_masked_by_default_and_shown_when_asked(store: Path, book) -> None:
    cid = default_customer(store)
    raw = book["customers"].set_index("customer_id").loc[cid]
    masked = credit_file_view(store, cid).identity.iloc[0]
    for col, masker in (("name", mask_name), ("id_number", mask_id_number),
                        ("phone", mask_phone)):
        assert masked[col] != raw[col]
        assert masked[col] == masker(pd.Series([raw[col]])).iloc[0]
    plain = credit_file_view(store, cid, mask=False).identity.iloc[0]
    assert (plain["name"], plain["phone"]) == (raw["name"], raw["phone"])


def test_the_file_is_cut_at_as_of(store: Path) -> None:
    cid = default_customer(store)
    full = credit_file_view(store, cid)
    cut = credit_file_view(store, cid, as_of="2025-05-31")
    assert len(cut.history) == len(full.history) - 1
    assert cut.history["as_of"].max() <= pd.Timestamp("2025-05-31")
    assert (cut.changes["as_of"] <= pd.Timestamp("2025-05-31")).all()
    assert len(cut.changes) < len(full.changes)
    if len(full.dunning):
        assert (cut.dunning["run_date"] <= pd.Timestamp("2025-05-31")).all()


def test_open_bills_add_up_to_the_customers_aging(store: Path, book) -> None:
    cid = default_customer(store)
    view = credit_file_view(store, cid)
    bills = book["bills"][book["bills"]["customer_id"] == cid]
    pays = book["payments"][book["payments"]["customer_id"] == cid]
    aged = customer_aging(bills, pays, as_of=END)
    assert int(view.open_bills["outstanding_minor"].sum()) == int(aged["outstanding_minor"].sum())
    assert (view.open_bills["outstanding_minor"] > 0).all()


def test_recent_payments_are_the_latest_without_payer_text(store: Path, book) -> None:
    cid = default_customer(store)
    view = credit_file_view(store, cid, n_payments=2)
    own = book["payments"][(book["payments"]["customer_id"] == cid)
                           & (book["payments"]["paid_date"] <= END)]
    assert len(view.payments) == min(2, len(own))
    assert view.payments["paid_date"].tolist() == sorted(own["paid_date"], reverse=True)[:2]
    assert not {"payer_name", "reference"} & set(view.payments.columns)


def test_headline_is_the_latest_snapshot(store: Path) -> None:
    cid = default_customer(store)
    view = credit_file_view(store, cid)
    last = view.history.iloc[-1]
    figures = view.headline(lang="en")
    assert figures["customer_id"] == cid
    assert figures["past_due_minor"] == int(last["past_due_minor"])
    assert figures["creditfile_snapshots"] == len(view.history)


def test_tables_in_words_hold_no_code_in_a_zh_report(store: Path) -> None:
    view = credit_file_view(store, default_customer(store))
    changes = shown_changes(view.changes, view.history, lang="zh")
    assert "tags" not in set(changes["field"])
    tier_rows = changes[changes["field"] == "tier"]
    assert len(tier_rows) >= 1
    for text in [*tier_rows["after"], *tier_rows["reason"]]:
        assert not re.search(r"\b[a-z_]{3,}\b", text), text  # a label, never the code
    shown = shown_history(view.history)
    assert set(shown["tier"].dropna()) <= {"tier_prime", "tier_standard", "tier_high_risk",
                                            "tier_restricted"}
    dunning = shown_dunning(view.dunning, lang="zh")
    for text in dunning.get("reason", pd.Series(dtype=str)):
        assert not re.search(r"[a-z]{3,}", text), text


def test_bad_arguments_name_the_fix(store: Path, tmp_path: Path) -> None:
    with pytest.raises(ParameterError, match="mask must be True or False"):
        credit_file_view(store, mask="yes")
    with pytest.raises(ParameterError, match="n_payments"):
        credit_file_view(store, n_payments=0)
    with pytest.raises(DataReadError, match="has no snapshot"):
        credit_file_view(store, "NO-SUCH-ID")
    with pytest.raises(DataReadError, match="notebook= the path"):
        credit_file_report(store, notebook=tmp_path / "none.ipynb")
    with pytest.raises(DataReadError, match="no store at"):
        credit_file_report(tmp_path / "none.duckdb")
    empty = tmp_path / "empty.duckdb"
    write_tables(empty, {"notes": pd.DataFrame({"x": [1]})})
    with pytest.raises(DataReadError, match="holds no snapshot"):
        file_date(empty)


def test_a_quote_in_the_customer_id_is_data_not_sql(store: Path, tmp_path: Path) -> None:
    path = tmp_path / "q.duckdb"
    shutil.copy(store, path)
    assert read_table(path, "customers", where="customer_id = 'x'' OR ''1''=''1'").empty
    with pytest.raises(DataReadError, match="has no snapshot"):
        credit_file_view(path, "x' OR '1'='1")


def test_the_picker_shows_another_customers_summary(store: Path) -> None:
    from creditkit.creditfile.widgets import customer_picker
    from creditkit.display.widgets import widget_text

    view = customer_picker(store, lang="zh", max_options=3)
    picker, summary = view.children
    assert picker.value == default_customer(store)
    first = summary.value
    picker.value = picker.options[1]
    assert summary.value != first and picker.options[1] in summary.value
    texts = " ".join(widget_text(view))
    assert not re.search(r"\b(prime|standard|high_risk|restricted)\b", texts)
    with pytest.raises(ParameterError, match="max_options"):
        customer_picker(store, max_options=0)
