"""Property tests of reconcile on random small books (hypothesis)."""

from __future__ import annotations

from collections import defaultdict

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from creditkit.collections import reconcile

BASE = pd.Timestamp("2025-01-01")
AS_OF = BASE + pd.Timedelta(days=100)
CUSTOMERS = pd.DataFrame({"customer_id": ["A", "B", "C", "D"],
                          "name": ["甲公司", "乙贸易有限公司", "张伟", "张伟"]})
CURS = ["CNY", "USD"]
SETTINGS = settings(max_examples=20, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@st.composite
def books(draw):
    nb = draw(st.integers(0, 8))
    bills = []
    for i in range(nb):
        issue = draw(st.integers(0, 90))
        bills.append({
            "bill_id": f"B{i:04d}", "invoice_id": f"INV-{draw(st.integers(0, 4)):05d}",
            "customer_id": draw(st.sampled_from(list(CUSTOMERS["customer_id"]))),
            "issue_date": BASE + pd.Timedelta(days=issue),
            "due_date": BASE + pd.Timedelta(days=issue + draw(st.integers(0, 40))),
            "amount_minor": draw(st.sampled_from([0, 100, 250, 400, 1000, 99_950, 100_000])),
            "currency": draw(st.sampled_from(CURS))})
    npay = draw(st.integers(0, 8))
    pays = []
    for j in range(npay):
        ref = draw(st.sampled_from([None, "转账", "INV-000", "付款 INV-0000", "inv 1",
                                    "货款 INV-00002 等2笔", "B000", "INV00003"]))
        if ref and ref.endswith(("000", "0000")):
            ref = ref + str(draw(st.integers(0, 9)))
        pays.append({
            "payment_id": f"P{j:02d}",
            "customer_id": draw(st.sampled_from([*CUSTOMERS["customer_id"], None])),
            "paid_date": BASE + pd.Timedelta(days=draw(st.integers(0, 110))),
            "amount_minor": draw(st.sampled_from([0, 100, 150, 250, 350, 1000, 1400, 99_950,
                                                  100_000, 123])),
            "currency": draw(st.sampled_from(CURS)),
            "kind": "payment", "channel": draw(st.sampled_from(["alipay", "bank_transfer"])),
            "reference": ref,
            "payer_name": draw(st.sampled_from([None, "甲公司", "乙贸易", "张伟", "李四"])),
            "bill_id": f"B{draw(st.integers(0, 9)):04d}" if draw(st.booleans()) else None,
            "invoice_id": None})
    cols_b = ["bill_id", "invoice_id", "customer_id", "issue_date", "due_date", "amount_minor",
              "currency"]
    cols_p = ["payment_id", "customer_id", "paid_date", "amount_minor", "currency", "kind",
              "channel", "reference", "payer_name", "bill_id", "invoice_id"]
    dates = "datetime64[ns]"
    return (pd.DataFrame(bills, columns=cols_b).astype(
                {"amount_minor": "int64", "issue_date": dates, "due_date": dates}),
            pd.DataFrame(pays, columns=cols_p).astype({"amount_minor": "int64",
                                                       "paid_date": dates}))


@SETTINGS
@given(books())
def test_allocations_never_exceed_open_amount_or_payment(book) -> None:
    bills, pays = book
    rec = reconcile(pays, bills, CUSTOMERS, as_of=AS_OF)
    assert rec.invariants()["ok"].all()
    taken = defaultdict(int)
    for frame in (rec.allocations, rec.writeoffs):
        for b, a in zip(frame["bill_id"], frame["amount_minor"], strict=True):
            taken[b] += int(a)
    amount = dict(zip(bills["bill_id"], bills["amount_minor"].astype(int), strict=True))
    assert all(taken[b] <= amount[b] for b in taken)
    per_pay = rec.allocations.groupby("payment_id")["amount_minor"].sum()
    paid = pays.set_index("payment_id")["amount_minor"]
    assert (per_pay <= paid.reindex(per_pay.index)).all()
    # currencies never mix
    cur = dict(zip(pays["payment_id"], pays["currency"], strict=True))
    bcur = dict(zip(bills["bill_id"], bills["currency"], strict=True))
    assert all(cur[p] == bcur[b] for p, b in zip(rec.allocations["payment_id"],
                                                 rec.allocations["bill_id"], strict=True))


@SETTINGS
@given(books())
def test_applied_plus_exceptions_equals_paid_per_currency(book) -> None:
    bills, pays = book
    rec = reconcile(pays, bills, CUSTOMERS, as_of=AS_OF)
    for cur in CURS:
        paid = sum(int(a) for a in pays.loc[pays["currency"] == cur, "amount_minor"])
        applied = sum(int(a) for a in rec.allocations.loc[
            rec.allocations["currency"] == cur, "amount_minor"])
        left = sum(int(a) for a in rec.exceptions.loc[
            rec.exceptions["currency"] == cur, "amount_minor"])
        assert applied + left == paid
    # by count: every payment is applied in full, or has exactly one exception row
    n_ex = rec.exceptions["payment_id"].value_counts()
    assert (n_ex <= 1).all()
    full = set(rec.by_payment.loc[rec.by_payment["exception_minor"] == 0, "payment_id"])
    assert full.isdisjoint(n_ex.index) and len(full) + len(n_ex) == len(pays)


@SETTINGS
@given(books(), st.randoms(use_true_random=False))
def test_result_does_not_depend_on_row_order(book, rnd) -> None:
    bills, pays = book
    a = reconcile(pays, bills, CUSTOMERS, as_of=AS_OF)
    pi, bi = list(range(len(pays))), list(range(len(bills)))
    rnd.shuffle(pi)
    rnd.shuffle(bi)
    cust = CUSTOMERS.sample(frac=1.0, random_state=rnd.randint(0, 1000))
    b = reconcile(pays.iloc[pi], bills.iloc[bi], cust, as_of=AS_OF)
    for name in ("allocations", "writeoffs", "exceptions", "by_payment", "summary"):
        left = getattr(a, name).reset_index(drop=True)
        right = getattr(b, name).reset_index(drop=True)
        pd.testing.assert_frame_equal(left, right, check_dtype=False)
