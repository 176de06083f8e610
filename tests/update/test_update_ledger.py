"""The ledger of record: a month reconciles only what is new, and decided rows stay decided."""

from __future__ import annotations

import itertools
import shutil
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from creditkit.datasets import make_portfolio
from creditkit.exceptions import ParameterError
from creditkit.store import portfolio_at, read_ledger, read_table, write_tables, write_update
from creditkit.update import update
from creditkit.update.ledger import reconcile_month

MONTHS = ("2025-04-30", "2025-05-31", "2025-06-30")


@pytest.fixture(scope="module")
def books(tmp_path_factory) -> tuple[Path, Path]:
    """The same 200 customers, updated month by month and rebuilt in full at each month."""
    base = tmp_path_factory.mktemp("ledger")
    month, full = base / "month.duckdb", base / "full.duckdb"
    write_tables(month, make_portfolio(200, seed=21, kind="mixed", start="2024-01-01",
                                       end=MONTHS[-1]))
    shutil.copy(month, full)
    for day in MONTHS:
        update(month, as_of=day)
        update(full, as_of=day, reconcile_mode="full")
    return month, full


def _rows(path: Path, table: str, day: str) -> list[tuple]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute(f"SELECT * FROM {table} WHERE as_of = ? ORDER BY ALL",
                           [pd.Timestamp(day).to_pydatetime()]).fetchall()
    finally:
        con.close()


def test_after_the_first_date_each_month_reconciles_only_what_is_new(books):
    month, full = books
    runs = read_table(month, "ledger_runs").sort_values("as_of")
    assert runs["mode"].tolist() == ["full"] + ["month"] * (len(MONTHS) - 1)
    pays = read_table(month, "payments")
    for prev, row in zip(MONTHS, runs.iloc[1:].itertuples(), strict=False):
        received = pays["paid_date"].between(pd.Timestamp(prev), row.as_of,
                                             inclusive="right").sum()
        assert row.payments == received  # the month's payments, not the book's
    whole = read_table(full, "ledger_runs")
    assert (whole["mode"] == "full").all()
    assert (runs["bills"].iloc[1:].to_numpy() < whole["bills"].iloc[1:].to_numpy()).all()


def test_a_year_month_by_month_equals_a_full_rebuild_where_it_must(books):
    month, full = books
    for day in MONTHS:
        a = portfolio_at(month, day).set_index("customer_id")
        b = portfolio_at(full, day).set_index("customer_id")
        assert a.index.equals(b.index)
        for col in ("outstanding_minor", "past_due_minor", "dpd", "currency"):
            pd.testing.assert_series_equal(a[col], b[col], check_names=False)
        for cur in a["currency"].unique():  # and the totals, to the minor unit
            assert (int(a.loc[a["currency"] == cur, "outstanding_minor"].sum())
                    == int(b.loc[b["currency"] == cur, "outstanding_minor"].sum()))


def test_applied_plus_unapplied_equals_paid_per_currency_every_month(books):
    month, _ = books
    pays = read_table(month, "payments")
    for day in MONTHS:
        carried = read_ledger(month, before=pd.Timestamp(day) + pd.Timedelta(days=1))
        assert carried.since == pd.Timestamp(day)
        # tolerance write-offs (ids <payment>#wo-<bill>) clear bills but are not cash
        cash = carried.applied[~carried.applied["payment_id"].str.contains("#wo-", regex=False)]
        upto = pays[pays["paid_date"] <= day]
        for cur, group in upto.groupby("currency"):
            paid = sum(int(v) for v in group["amount_minor"])
            applied = sum(int(v) for v in cash.loc[cash["currency"] == cur, "amount_minor"])
            open_ = sum(int(v) for v in carried.open.loc[carried.open["currency"] == cur,
                                                         "amount_minor"])
            assert applied + open_ == paid, (day, cur)
        # every payment is in the ledger once: decided pieces and an open rest, nothing else
        ids = set(cash["source_payment_id"]) | set(carried.open["source_payment_id"])
        assert ids == set(upto["payment_id"])
        assert not carried.open["source_payment_id"].duplicated().any()


def test_decided_rows_stay_decided_and_a_rerun_starts_from_the_state_before(books, tmp_path):
    month, _ = books
    path = tmp_path / "book.duckdb"
    shutil.copy(month, path)
    before = {t: [_rows(path, t, d) for d in MONTHS] for t in ("ledger", "ledger_runs")}
    update(path, as_of=MONTHS[-1])  # a re-run of the last date
    update(path, as_of=MONTHS[1], rebuild=True)  # and of an earlier one
    for t in ("ledger", "ledger_runs"):
        assert [_rows(path, t, d) for d in MONTHS] == before[t]


def _bill(bill_id, invoice, issue, amount):
    d = pd.Timestamp(issue)
    return {"bill_id": bill_id, "invoice_id": invoice, "customer_id": "C1", "issue_date": d,
            "due_date": d + pd.Timedelta(days=30), "amount_minor": amount, "currency": "CNY"}


def test_a_later_bill_picks_up_an_earlier_unapplied_payment(tmp_path):
    bills = pd.DataFrame([_bill("B1", "INV-0001", "2025-01-05", 1000),
                          _bill("B2", "INV-0002", "2025-02-10", 700)])
    pays = pd.DataFrame({"payment_id": ["P1", "P2"], "customer_id": ["C1", "C1"],
                         "paid_date": pd.to_datetime(["2025-01-20", "2025-02-20"]),
                         "amount_minor": [1700, 0 + 50], "currency": ["CNY", "CNY"],
                         "reference": ["INV-0001 INV-0002", "misc"],
                         "payer_name": ["甲公司", "甲公司"]})
    customers = pd.DataFrame({"customer_id": ["C1"], "name": ["甲公司"]})
    tables = {"bills": bills, "payments": pays, "customers": customers}
    path = tmp_path / "s.duckdb"
    write_tables(path, {"payments": pays})
    jan = reconcile_month(tables, as_of=pd.Timestamp("2025-01-31"),
                          carried=read_ledger(path, before="2025-01-31"))
    assert jan.run["mode"] == "full"
    decided = jan.rows[~jan.rows["open"]]
    assert decided[["bill_id", "amount_minor"]].values.tolist() == [["B1", 1000]]
    assert jan.rows.loc[jan.rows["open"], "amount_minor"].tolist() == [700]
    write_update(path, pd.DataFrame({"customer_id": ["C1"]}), as_of="2025-01-31",
                 state={"ledger": jan.rows, "ledger_runs": pd.DataFrame([jan.run])})
    carried = read_ledger(path, before="2025-02-28")
    feb = reconcile_month(tables, as_of=pd.Timestamp("2025-02-28"), carried=carried)
    assert feb.run == {"mode": "month", "since": pd.Timestamp("2025-01-31"), "payments": 1,
                       "rests": 1, "bills": 1}  # B1 is paid: not offered again
    got = feb.rows[~feb.rows["open"]]
    assert got[["source_payment_id", "bill_id", "amount_minor"]].values.tolist() == [
        ["P1", "B2", 700]]
    # the posted ledger for the later stages: January's decision kept, ids unique
    post = feb.payments
    assert not post["payment_id"].duplicated().any()
    assert post.groupby("bill_id")["amount_minor"].sum().to_dict() == {"B1": 1000, "B2": 700}
    assert sum(post["amount_minor"]) == sum(pays["amount_minor"])


def test_an_unknown_reconcile_mode_is_refused(books):
    month, _ = books
    with pytest.raises(ParameterError, match="reconcile mode must be one of"):
        update(month, as_of=MONTHS[-1], reconcile_mode="weekly")


def _by_date(path: Path, table: str, column: str = "as_of") -> dict:
    rows = read_table(path, table)
    return {d.strftime("%Y-%m-%d"): g for d, g in rows.groupby(column)}


def test_alerts_are_raised_once_keep_their_day_and_close_when_the_rule_stops(books):
    month, _ = books
    state = _by_date(month, "alert_state")
    assert set(state) == set(MONTHS)
    kept = 0
    for a, b in itertools.pairwise(MONTHS):
        before = state[a].set_index(["customer_id", "rule_id"])["opened"]
        now = state[b].set_index(["customer_id", "rule_id"])["opened"]
        both = before.index.intersection(now.index)
        assert (now[both] == before[both]).all()  # still holding: the day it opened is kept
        kept += len(both)
        new = now.index.difference(before.index)
        assert (now[new] == pd.Timestamp(b)).all()  # raised today
        snap = portfolio_at(month, b).set_index("customer_id")
        count = now.groupby(level="customer_id").size()
        assert (snap["open_alerts"].reindex(count.index) == count).all()
        closed = before.index.difference(now.index)  # closed: the snapshot no longer lists it
        for cid, rule in list(closed)[:20]:
            ids = snap.at[cid, "alert_ids"] if cid in snap.index else None
            assert rule not in str(ids).split("|")
    assert kept > 0


def test_restriction_entry_dates_are_kept_and_changes_said(books):
    month, _ = books
    state = _by_date(month, "restriction_state")
    for a, b in itertools.pairwise(MONTHS):
        before = state[a][state[a]["restriction_level"] != "none"].set_index("customer_id")
        now = state[b].set_index("customer_id")
        on = now[now["restriction_level"] != "none"]
        stay = on.index.intersection(before.index)
        assert (on.loc[stay, "entered_on"] == before.loc[stay, "entered_on"]).all()
        fresh = on.index.difference(before.index)
        assert (on.loc[fresh, "entered_on"] == pd.Timestamp(b)).all()
        assert set(on.loc[fresh, "change"]) <= {"entered"}
        gone = before.index.difference(on.index)
        assert set(now.loc[now.index.intersection(gone), "change"]) <= {"left"}
        assert set(gone) <= set(now.index)  # who left is listed
        snap = portfolio_at(month, b).set_index("customer_id")
        assert (snap.loc[on.index, "restriction_level"] == on["restriction_level"]).all()


def test_recovery_plans_are_offered_once_for_what_was_past_due(books):
    month, _ = books
    plans = read_table(month, "recovery_plans")
    assert len(plans)
    per = plans.groupby(["plan_id", "customer_id", "as_of"])["amount_minor"].sum().reset_index()
    assert not per["customer_id"].duplicated().any()  # one plan per customer, ever
    for day, group in per.groupby("as_of"):
        snap = portfolio_at(month, day).set_index("customer_id")
        cust = group.set_index("customer_id")
        assert (snap.loc[cust.index, "restriction_level"] == "restricted").all()
        assert (cust["amount_minor"] == snap.loc[cust.index, "past_due_minor"]).all()


def test_dunning_continues_from_the_stored_history(books):
    month, _ = books
    hist = read_table(month, "dunning_history")
    assert set(hist["run_date"].dt.strftime("%Y-%m-%d")) == set(MONTHS)
    first = hist.groupby("customer_id")["run_date"].min()
    carried = hist[hist["previous_level"] > 0]
    assert len(carried)  # levels were carried from an earlier run
    assert (carried["run_date"].to_numpy() > first.reindex(carried["customer_id"]).to_numpy()).all()


def test_an_analysts_decision_applies_an_open_rest_named_by_its_payment(tmp_path):
    bills = pd.DataFrame([_bill("B1", "INV-0001", "2025-01-05", 1000),
                          _bill("B2", "INV-0002", "2025-02-10", 900)])
    pays = pd.DataFrame({"payment_id": ["P1"], "customer_id": ["C1"],
                         "paid_date": pd.to_datetime(["2025-01-20"]), "amount_minor": [1700],
                         "currency": ["CNY"], "reference": ["INV-0001"],
                         "payer_name": ["甲公司"]})
    tables = {"bills": bills, "payments": pays,
              "customers": pd.DataFrame({"customer_id": ["C1"], "name": ["甲公司"]})}
    path = tmp_path / "s.duckdb"
    write_tables(path, {"payments": pays})
    jan = reconcile_month(tables, as_of=pd.Timestamp("2025-01-31"),
                          carried=read_ledger(path, before="2025-01-31"))
    write_update(path, pd.DataFrame({"customer_id": ["C1"]}), as_of="2025-01-31",
                 state={"ledger": jan.rows, "ledger_runs": pd.DataFrame([jan.run])})
    carried = read_ledger(path, before="2025-02-28")
    feb = pd.Timestamp("2025-02-28")
    alone = reconcile_month(tables, as_of=feb, carried=carried)
    assert alone.rows["open"].all()  # nothing names B2, amounts differ: the rest stays open
    said = pd.DataFrame({"payment_id": ["P1"], "bill_id": ["B2"], "amount_minor": [700],
                         "decision": ["confirm"]})
    decided = reconcile_month(tables, as_of=feb, carried=carried, decisions=said)
    got = decided.rows[~decided.rows["open"]]
    assert got[["source_payment_id", "bill_id", "amount_minor"]].values.tolist() == [
        ["P1", "B2", 700]]
    # a decision about B1, already paid in January, is not applied again
    again = reconcile_month(tables, as_of=feb, carried=carried, decisions=said.assign(
        bill_id="B1"))
    assert again.rows["open"].all()
