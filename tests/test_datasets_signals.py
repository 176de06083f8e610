"""make_portfolio(signals=True): auto-debit attempts and promises to pay, and their latent cause."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from creditkit import schema
from creditkit.collections import promise_outcomes
from creditkit.datasets import make_portfolio

N, SEED = 3000, 11


@pytest.fixture(scope="module")
def plain():
    return make_portfolio(N, seed=SEED, kind="mixed", truth=True)


@pytest.fixture(scope="module")
def book():
    return make_portfolio(N, seed=SEED, kind="mixed", truth=True, signals=True)


def _cleared(book: dict) -> pd.Series:
    """Day each bill was cleared (the last true allocation reaching its amount), per bill_id."""
    alloc = book["allocations"].merge(book["payments"][["payment_id", "paid_date"]],
                                      on="payment_id")
    paid = alloc.groupby("bill_id").agg(paid=("amount_minor", "sum"), day=("paid_date", "max"))
    amount = book["bills"].set_index("bill_id")["amount_minor"]
    full = paid[paid["paid"] >= amount.reindex(paid.index)]
    return full["day"]


def test_the_other_tables_do_not_change(plain, book) -> None:
    assert sorted(book) == sorted([*plain, "debit_attempts", "promises"])
    for name in plain:
        if name == "truth":
            assert book[name][plain[name].columns].equals(plain[name])
        else:
            assert book[name].equals(plain[name]), name
    assert "debit_attempts" not in make_portfolio(20, seed=1)


def test_new_tables_validate_and_keys_are_unique(book) -> None:
    for name in ("debit_attempts", "promises"):
        frame = schema.validate(book[name], name)
        assert not frame.duplicated(list(schema.TABLES[name].key)).any()
        assert set(book[name]["customer_id"]) <= set(book["customers"]["customer_id"])
    assert set(book["debit_attempts"]["status"]) == {"succeeded", "failed"}


def test_succeeded_attempts_are_the_auto_debit_payments(book) -> None:
    pays = book["payments"]
    auto = pays[pays["channel"] == "auto_debit"].set_index("payment_id")
    ok = book["debit_attempts"].query("status == 'succeeded'").set_index("payment_id")
    assert sorted(ok.index) == sorted(auto.index)
    ok = ok.loc[auto.index]
    assert (ok["attempt_date"] == auto["paid_date"]).all()
    assert (ok["amount_minor"] == auto["amount_minor"]).all()
    assert (ok["bill_id"] == auto["bill_id"]).all()


def test_a_debit_fails_only_while_its_bill_is_open(book) -> None:
    bills = book["bills"].set_index("bill_id")
    failed = book["debit_attempts"].query("status == 'failed'")
    assert failed["payment_id"].isna().all()
    due = bills["due_date"].reindex(failed["bill_id"]).to_numpy()
    assert (failed["attempt_date"].to_numpy() >= due).all()
    assert (failed["attempt_date"].to_numpy() <= due + np.timedelta64(7, "D")).all()
    cleared = _cleared(book).reindex(failed["bill_id"]).to_numpy()
    known = ~np.isnat(cleared)
    assert (failed["attempt_date"].to_numpy()[known] <= cleared[known]).all()
    # only consumers hold a mandate; fees are not debited
    kinds = book["customers"].set_index("customer_id")["kind"]
    assert set(kinds.reindex(book["debit_attempts"]["customer_id"])) == {"consumer"}
    assert set(bills["kind"].reindex(book["debit_attempts"]["bill_id"])) <= {"instalment",
                                                                             "invoice"}


def test_due_date_failures_are_more_frequent_in_distress(book) -> None:
    """The latent spell before default shows as failed morning debits on bills paid that day."""
    bills = book["bills"].set_index("bill_id")
    cleared = _cleared(book)
    on_due = bills.loc[cleared.index[cleared.to_numpy() == bills.loc[cleared.index, "due_date"]]]
    kinds = book["customers"].set_index("customer_id")["kind"]
    on_due = on_due[(kinds.reindex(on_due["customer_id"]).to_numpy() == "consumer")
                    & (on_due["kind"] != "fee").to_numpy()]
    fails = book["debit_attempts"].query("status == 'failed'")
    missed = on_due.index.isin(fails["bill_id"])
    truth = book["truth"].set_index("customer_id")
    start = truth["distress_start"].reindex(on_due["customer_id"]).to_numpy()
    end = truth["default_date"].reindex(on_due["customer_id"]).to_numpy()
    due = on_due["due_date"].to_numpy()
    # a spell running past the data's end has no default date in the truth table
    distress = (due >= start) & ((due < end) | np.isnat(end))
    assert distress.sum() >= 50 and (~distress).sum() >= 1000
    inside, outside = missed[distress].mean(), missed[~distress].mean()
    assert 0.2 <= inside <= 0.4  # NEAR_MISS_DISTRESS = 0.3
    assert outside <= 0.06
    assert inside > 5 * outside


def test_promises_follow_missed_bills_and_distress_breaks_them(book) -> None:
    p = book["promises"]
    bills = book["bills"].set_index("bill_id")
    assert (p["pay_by"] >= p["promise_date"]).all()
    late_by = (p["promise_date"] - bills["due_date"].reindex(p["bill_id"]).to_numpy()).dt.days
    assert (late_by >= 3).all() and (late_by <= 20).all()
    out = promise_outcomes(p, book["payments"], as_of="2025-12-31")
    judged = out["promise"].isin(["kept", "broken"]).to_numpy()
    truth = book["truth"].set_index("customer_id")
    start = truth["distress_start"].reindex(p["customer_id"]).to_numpy()
    distress = ~np.isnat(start) & (p["promise_date"].to_numpy() >= start)
    broken = (out["promise"] == "broken").to_numpy()
    assert judged[distress].sum() >= 30 and judged[~distress].sum() >= 100
    assert broken[distress & judged].mean() > 0.6
    assert broken[~distress & judged].mean() < broken[distress & judged].mean() - 0.3


def test_truth_records_the_latent_spell(book) -> None:
    t = book["truth"]
    assert list(t.columns) == ["customer_id", "latent_risk", "distress_start", "default_date"]
    both = t.dropna(subset=["distress_start", "default_date"])
    gap = (both["default_date"] - both["distress_start"]).dt.days
    assert len(both) > 50 and gap.between(30, 270).all()
    # defaults come from the latent risk
    assert t.loc[t["default_date"].notna(), "latent_risk"].mean() > t["latent_risk"].mean() + 0.5


def test_the_store_keeps_the_signal_tables(tmp_path) -> None:
    from creditkit.datasets import load_or_make
    from creditkit.store import OPTIONAL_TABLES, load_optional_tables, read_meta

    path = tmp_path / "book.duckdb"
    first = load_or_make(path, n_customers=300, seed=2, as_of="2025-06-30", signals=True)
    assert set(OPTIONAL_TABLES) <= set(first)
    again = load_or_make(path)
    for name in OPTIONAL_TABLES:
        pd.testing.assert_frame_equal(again[name], first[name], check_dtype=False)
    assert '"signals": true' in read_meta(path)["generator"]
    plain = tmp_path / "plain.duckdb"
    assert not set(OPTIONAL_TABLES) & set(load_or_make(plain, n_customers=50, seed=2))
    assert load_optional_tables(plain) == {}
