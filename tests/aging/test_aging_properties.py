"""Property tests on random ledgers, against a plain-Python reference of the rule."""

from __future__ import annotations

import os
from collections import defaultdict

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from creditkit.aging import (
    aging_at_dates,
    allocate_payments,
    bill_aging,
    customer_aging,
    fpd,
)

BASE = pd.Timestamp("2025-01-01")
CUSTS = ["A", "B", "C"]
CURS = ["CNY", "USD"]
KINDS = ["payment", "payment", "credit_note", "write_off"]


@st.composite
def ledgers(draw):
    nb = draw(st.integers(0, 8))
    bills = []
    for i in range(nb):
        issue = draw(st.integers(0, 60))
        bills.append({
            "bill_id": f"B{i:02d}", "invoice_id": f"I{draw(st.integers(0, 3))}",
            "customer_id": draw(st.sampled_from(CUSTS)),
            "issue_date": BASE + pd.Timedelta(days=issue),
            "due_date": BASE + pd.Timedelta(days=issue + draw(st.integers(0, 40))),
            "amount_minor": draw(st.integers(0, 500)),
            "currency": draw(st.sampled_from(CURS))})
    npay = draw(st.integers(0, 8))
    pays = []
    for j in range(npay):
        ref = draw(st.integers(0, 5))
        pays.append({
            "payment_id": f"P{j:02d}",
            "customer_id": draw(st.sampled_from([*CUSTS, None])),
            "paid_date": BASE + pd.Timedelta(days=draw(st.integers(0, 120))),
            "amount_minor": draw(st.integers(0, 600)),
            "currency": draw(st.sampled_from(CURS)),
            "kind": draw(st.sampled_from(KINDS)),
            # ref 3 names both a bill and an invoice (the bill may be issued later)
            "bill_id": f"B{draw(st.integers(0, 9)):02d}" if ref in (1, 3) else None,
            "invoice_id": f"I{draw(st.integers(0, 4))}" if ref in (2, 3) else None})
        if ref == 4 and bills:  # names a bill (perhaps issued later) and an invoice of its own
            named = draw(st.sampled_from(bills))
            inv = draw(st.sampled_from([b for b in bills if (b["customer_id"], b["currency"])
                                        == (named["customer_id"], named["currency"])]))
            pays[-1].update(bill_id=named["bill_id"], invoice_id=inv["invoice_id"],
                            customer_id=draw(st.sampled_from([named["customer_id"], None])),
                            currency=named["currency"],
                            paid_date=max(BASE, named["issue_date"]
                                          - pd.Timedelta(days=draw(st.integers(0, 20)))))
    as_of = BASE + pd.Timedelta(days=draw(st.integers(0, 150)))
    return _bills(bills), _pays(pays), as_of


def _bills(rows):
    df = pd.DataFrame(rows, columns=["bill_id", "invoice_id", "customer_id", "issue_date",
                                     "due_date", "amount_minor", "currency"])
    df["issue_date"] = pd.to_datetime(df["issue_date"])
    df["due_date"] = pd.to_datetime(df["due_date"])
    return df.astype({"amount_minor": "int64", "bill_id": object, "invoice_id": object,
                      "customer_id": object, "currency": object})


def _pays(rows):
    df = pd.DataFrame(rows, columns=["payment_id", "customer_id", "paid_date", "amount_minor",
                                     "currency", "kind", "bill_id", "invoice_id"])
    df["paid_date"] = pd.to_datetime(df["paid_date"])
    df = df.astype({"amount_minor": "int64"})
    for c in ("payment_id", "customer_id", "currency", "kind", "bill_id", "invoice_id"):
        df[c] = df[c].astype(object).where(df[c].notna(), None)
    return df


def reference(bills, pays, as_of, mode):
    """The allocation rule written as plain loops: bill id -> outstanding, group -> unapplied."""
    b = bills[bills["issue_date"] <= as_of]
    p = pays[pays["paid_date"] <= as_of].sort_values(["paid_date", "payment_id"])
    info = {r.bill_id: r for r in bills.itertuples()}  # a named bill may be issued later
    owner = dict(zip(bills["bill_id"], bills["customer_id"], strict=True))
    open_ = {r.bill_id: r.amount_minor for r in b.itertuples()}
    rem, cust = {}, {}
    for r in p.itertuples():
        rem[r.payment_id] = r.amount_minor
        c = r.customer_id
        if c is None and r.bill_id in owner:  # even a bill not issued yet
            c = owner[r.bill_id]
        cust[r.payment_id] = c
    matched = set()
    for r in p.itertuples():
        bi = info.get(r.bill_id)
        if bi is not None and bi.customer_id == cust[r.payment_id] and bi.currency == r.currency:
            matched.add(r.payment_id)  # the named bill's, even before it is issued
            if r.bill_id not in open_:
                continue
            a = min(rem[r.payment_id], open_[r.bill_id])
            rem[r.payment_id] -= a
            open_[r.bill_id] -= a
    order = b.sort_values(["due_date", "issue_date", "bill_id"])
    for r in p.itertuples():
        if r.payment_id in matched or r.invoice_id is None:
            continue
        for x in order.itertuples():
            if (x.invoice_id == r.invoice_id and x.customer_id == cust[r.payment_id]
                    and x.currency == r.currency):
                a = min(rem[r.payment_id], open_[x.bill_id])
                rem[r.payment_id] -= a
                open_[x.bill_id] -= a
    if mode == "fifo":
        for r in p.itertuples():
            for x in order.itertuples():
                if x.customer_id == cust[r.payment_id] and x.currency == r.currency:
                    a = min(rem[r.payment_id], open_[x.bill_id])
                    rem[r.payment_id] -= a
                    open_[x.bill_id] -= a
    unapplied = defaultdict(int)
    for r in p.itertuples():
        unapplied[(cust[r.payment_id], r.currency)] += rem[r.payment_id]
    return open_, dict(unapplied)


SETTINGS = settings(max_examples=int(os.environ.get("AGING_HYPOTHESIS_EXAMPLES", "30")),
                    deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(ledgers(), st.sampled_from(["fifo", "explicit"]))
def test_matches_reference_and_conserves_money(ledger, mode):
    bills, pays, as_of = ledger
    want_out, want_un = reference(bills, pays, as_of, mode)
    got = bill_aging(bills, pays, as_of=as_of, mode=mode)
    assert dict(zip(got["bill_id"], got["outstanding_minor"], strict=True)) == want_out
    alloc, left = allocate_payments(bills, pays, as_of=as_of, mode=mode)
    got_un = {(c if isinstance(c, str) else None, k): v for c, k, v in
              left[["customer_id", "currency", "unapplied_minor"]].itertuples(index=False)}
    assert {k: v for k, v in got_un.items() if v} == {k: v for k, v in want_un.items() if v}
    # applied + unapplied = received, per customer and currency
    assert (left["applied_minor"] + left["unapplied_minor"] == left["settled_minor"]).all()
    assert (left[["paid_minor", "credited_minor", "written_off_minor"]].sum(axis=1)
            == left["settled_minor"]).all()
    # outstanding = billed - applied, bill by bill
    by_bill = alloc.groupby("bill_id")["amount_minor"].sum()
    applied = got["bill_id"].map(by_bill).fillna(0).astype("int64")
    assert (got["outstanding_minor"] == got["amount_minor"] - applied).all()
    assert (got["outstanding_minor"] >= 0).all()
    by_pay = alloc.groupby("payment_id")["amount_minor"].sum()
    amounts = pays.set_index("payment_id")["amount_minor"]
    assert (by_pay <= amounts.reindex(by_pay.index)).all()


@SETTINGS
@given(ledgers(), st.sampled_from(["fifo", "explicit"]))
def test_buckets_add_up_to_outstanding(ledger, mode):
    bills, pays, as_of = ledger
    cust = customer_aging(bills, pays, as_of=as_of, mode=mode, buckets="m")
    labels = [f"M{i}" for i in range(8)]
    assert (cust[labels].sum(axis=1) == cust["outstanding_minor"]).all()
    assert (cust["net_balance_minor"] == cust["outstanding_minor"] - cust["unapplied_minor"]).all()
    assert (cust["net_balance_minor"] == cust["billed_minor"] - cust["settled_minor"]).all()
    assert (cust["past_due_minor"] <= cust["outstanding_minor"]).all()
    _, left = allocate_payments(bills, pays, as_of=as_of, mode=mode)
    kinds = ["paid_minor", "credited_minor", "written_off_minor", "settled_minor",
             "unapplied_minor"]
    a = cust.set_index(["customer_id", "currency"])[kinds]
    b = left.set_index(["customer_id", "currency"])[kinds]
    both = a.merge(b, left_index=True, right_index=True, suffixes=("", "_alloc"))
    for k in kinds:
        assert (both[k] == both[k + "_alloc"]).all(), k


@SETTINGS
@given(ledgers(), st.randoms(use_true_random=False))
def test_row_order_does_not_matter(ledger, rnd):
    bills, pays, as_of = ledger
    pb = list(range(len(bills)))
    pp = list(range(len(pays)))
    rnd.shuffle(pb)
    rnd.shuffle(pp)
    a = bill_aging(bills, pays, as_of=as_of).sort_values("bill_id", ignore_index=True)
    b = bill_aging(bills.iloc[pb], pays.iloc[pp], as_of=as_of).sort_values(
        "bill_id", ignore_index=True)
    pd.testing.assert_frame_equal(a, b)
    pd.testing.assert_frame_equal(customer_aging(bills, pays, as_of=as_of),
                                  customer_aging(bills.iloc[pb], pays.iloc[pp], as_of=as_of))


@SETTINGS
@given(ledgers())
def test_per_customer_purity(ledger):
    bills, pays, as_of = ledger
    pays = pays.assign(customer_id=pays["customer_id"].map(lambda c: c or "A"))
    full = customer_aging(bills, pays, as_of=as_of).set_index(["customer_id", "currency"])
    for c in CUSTS:
        alone = customer_aging(bills[bills["customer_id"] == c], pays[pays["customer_id"] == c],
                               as_of=as_of).set_index(["customer_id", "currency"])
        mine = full[full.index.get_level_values(0) == c]
        assert mine.astype(object).reset_index().to_dict("records") == \
            alone.astype(object).reset_index().to_dict("records")


@SETTINGS
@given(ledgers(), st.sampled_from(["fifo", "explicit"]), st.integers(0, 30),
       st.integers(3, 40), st.integers(1, 12))
def test_history_equals_aging_at_each_date(ledger, mode, start, step, n):
    bills, pays, _ = ledger
    dates = [BASE + pd.Timedelta(days=start + k * step) for k in range(n)]
    hist = aging_at_dates(bills, pays, dates=dates, mode=mode)
    labels = [f"M{i}" for i in range(8)]
    for d in dates:
        # bill by bill: the history's bucket columns are the one-date bill aging summed
        ba = bill_aging(bills, pays, as_of=d, mode=mode, buckets="m")
        ba = ba[ba["outstanding_minor"] > 0]
        want = ba.pivot_table(index=["customer_id", "currency"], columns="bucket",
                              values="outstanding_minor", aggfunc="sum", fill_value=0,
                              observed=False).reindex(columns=labels, fill_value=0)
        got = hist[(hist["as_of"] == d) & (hist["outstanding_minor"] > 0)].set_index(
            ["customer_id", "currency"])[labels]
        assert {k: list(map(int, v)) for k, v in got.iterrows()} == \
            {k: list(map(int, v)) for k, v in want.iterrows()}
        # into_last_minor: bills in M7 (dpd > 180) that were in M6 at the previous date
        gap = (d - dates[dates.index(d) - 1]).days if d != dates[0] else None
        new = ba[(ba["dpd"] > 180) & (ba["dpd"] - gap <= 180) & (ba["dpd"] - gap > 150)] \
            if gap is not None else ba.iloc[:0]
        want_in = new.groupby(["customer_id", "currency"])["outstanding_minor"].sum()
        h_in = hist[hist["as_of"] == d].set_index(["customer_id", "currency"])["into_last_minor"]
        assert {k: int(v) for k, v in h_in.items() if v} == \
            {k: int(v) for k, v in want_in.items() if v}
        one = customer_aging(bills, pays, as_of=d, mode=mode, buckets="m")
        one = one[(one["outstanding_minor"] > 0) | (one["unapplied_minor"] > 0)]
        h = hist[hist["as_of"] == d]
        cols = ["customer_id", "currency", "outstanding_minor", "past_due_minor",
                "unapplied_minor", "worst_dpd", *[f"M{i}" for i in range(8)]]
        left = h[cols].reset_index(drop=True)
        right = one[cols].reset_index(drop=True)
        pd.testing.assert_frame_equal(left.astype(object), right.astype(object))
        assert h["bucket"].astype(object).where(h["bucket"].notna(), None).tolist() == \
            one["bucket"].astype(object).where(one["bucket"].notna(), None).tolist()


@SETTINGS
@given(ledgers(), st.sampled_from(["fifo", "explicit"]), st.integers(0, 40))
def test_fpd_equals_one_date_aging_at_each_observation_day(ledger, mode, x):
    bills, pays, as_of = ledger
    got = fpd(bills, pays, as_of=as_of, dpd=x, mode=mode)
    issued = bills[bills["issue_date"] <= as_of].sort_values(["due_date", "issue_date", "bill_id"])
    first = issued.drop_duplicates(["invoice_id", "customer_id", "currency"])
    first = first[first["due_date"] + pd.Timedelta(days=x) <= as_of]
    want = defaultdict(int)
    for r in first.itertuples():
        one = bill_aging(bills, pays, as_of=r.due_date + pd.Timedelta(days=x), mode=mode)
        want[r.issue_date.strftime("%Y-%m")] += int(
            one.set_index("bill_id").loc[r.bill_id, "outstanding_minor"] > 0)
    assert dict(zip(got["vintage"], got["n_fpd"], strict=True)) == dict(want)
    assert got["n_loans"].sum() == len(first)
