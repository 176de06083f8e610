"""channel_performance: collected per channel and period, days to pay, match rate, auto-debits."""

from __future__ import annotations

from types import SimpleNamespace

import pandas as pd
import pytest

from creditkit.aging import allocate_payments
from creditkit.collections import ChannelPerformance, channel_performance
from creditkit.datasets import make_portfolio
from creditkit.exceptions import CreditkitError, ParameterError, SchemaError

D = pd.Timestamp
AS_OF = "2025-03-31"

BILLS = pd.DataFrame({
    "bill_id": ["B1", "B2", "B3"], "invoice_id": ["B1", "B2", "B3"],
    "customer_id": ["A", "A", "B"],
    "issue_date": [D("2025-01-01"), D("2025-02-01"), D("2025-01-01")],
    "due_date": [D("2025-01-31"), D("2025-02-28"), D("2025-01-31")],
    "amount_minor": [10_000, 10_000, 30_000], "currency": ["CNY"] * 3,
})
PAY = pd.DataFrame({
    "payment_id": ["P1", "P2", "P3", "P4", "P5", "P6", "P7"],
    "customer_id": ["A", "A", "B", "B", "A", "B", "A"],
    "paid_date": [D("2025-01-29"), D("2025-03-05"), D("2025-02-05"), D("2025-02-20"),
                  D("2025-03-10"), D("2025-04-05"), D("2025-02-26")],
    "amount_minor": [10_000, 6_000, 20_000, 2_000, 500, 8_000, 4_000],
    "currency": ["CNY"] * 7,
    "kind": ["payment", "payment", "payment", "payment", "credit_note", "payment", "payment"],
    "channel": ["alipay", "auto_debit", "bank_transfer", "bank_transfer", None, "alipay",
                "auto_debit"],
})


@pytest.fixture(scope="module")
def perf() -> ChannelPerformance:
    return channel_performance(PAY, BILLS, as_of=AS_OF)


def test_collected_per_channel_and_month_adds_up_to_cash(perf):
    c = perf.collected
    got = {(r.period, r.channel): (r.paid_minor, r.n_payments) for r in c.itertuples()}
    assert got == {("2025-01", "alipay"): (10_000, 1),
                   ("2025-02", "auto_debit"): (4_000, 1),
                   ("2025-02", "bank_transfer"): (22_000, 2),
                   ("2025-03", "auto_debit"): (6_000, 1)}
    # credit notes are not cash, the April payment does not exist yet at as_of
    assert int(c["paid_minor"].sum()) == 10_000 + 6_000 + 20_000 + 2_000 + 4_000
    feb = c[c["period"] == "2025-02"].set_index("channel")["share"]
    assert feb["bank_transfer"] == pytest.approx(22_000 / 26_000)
    assert c.groupby("period")["share"].sum().round(12).eq(1).all()


def test_days_from_due_to_payment_come_from_the_ledger_allocation(perf):
    t = perf.timing.set_index("channel")
    # P1 pays B1 two days early; P3, P4 pay B3 5 and 20 days late; P7 (02-26) pays B2 2 days
    # early and P2 (03-05) pays the rest of B2 5 days late
    assert t.loc["alipay", "days_median"] == -2
    assert t.loc["bank_transfer", ["days_q1", "days_median", "days_q3"]].tolist() == [
        8.75, 12.5, 16.25]
    assert t.loc["bank_transfer", "on_time_share"] == 0
    assert t.loc["auto_debit", "n_allocations"] == 2
    assert t.loc["auto_debit", "on_time_share"] == pytest.approx(4_000 / 10_000)
    al = allocate_payments(BILLS, PAY, as_of=AS_OF).allocations
    assert int(t["applied_minor"].sum()) == int(al.loc[al["kind"] == "payment",
                                                       "amount_minor"].sum())


def test_quarterly_periods(perf):
    q = channel_performance(PAY, BILLS, as_of=AS_OF, by="quarter").collected
    assert set(q["period"]) == {"2025Q1"}
    assert int(q["paid_minor"].sum()) == int(perf.collected["paid_minor"].sum())


def test_auto_debit_without_status_counts_every_debit_as_succeeded(perf):
    a = perf.auto_debit.set_index("period")
    assert a["n_debits"].tolist() == [1, 1] and a["debit_success_rate"].tolist() == [1.0, 1.0]
    assert int(a["n_debits_failed"].sum()) == 0


def test_failed_and_returned_debits_are_counted_and_bring_no_money():
    pay = PAY.assign(status=[None, "failed", "", "", None, None, "Returned"])
    p = channel_performance(pay, BILLS, as_of=AS_OF)
    a = p.auto_debit.set_index("period")
    assert a.loc["2025-03", "n_debits_failed"] == 1 and a.loc["2025-02", "n_debits_returned"] == 1
    assert a["debit_success_rate"].tolist() == [0.0, 0.0]
    assert a["debit_failed_minor"].sum() == 10_000 and a["debit_succeeded_minor"].sum() == 0
    assert "auto_debit" not in set(p.collected["channel"])
    assert "auto_debit" not in set(p.timing["channel"])
    with pytest.raises(ParameterError, match="payments row 1: status 'bounced'"):
        channel_performance(PAY.assign(status=[None, "bounced"] + [None] * 5), BILLS,
                            as_of=AS_OF)


def test_match_rate_and_exceptions_per_channel_from_a_reconciliation():
    al = pd.DataFrame({"payment_id": ["P1", "P2", "P3", "P7"], "bill_id": ["B1", "B2", "B3", "B2"],
                       "amount_minor": [10_000, 6_000, 15_000, 4_000]})
    ex = pd.DataFrame({"payment_id": ["P3", "P4", "P6"],
                       "reason": ["overpayment", "unknown_payer", "after_as_of"],
                       "amount_minor": [5_000, 2_000, 8_000]})
    for rec in ({"allocations": al, "exceptions": ex},
                SimpleNamespace(allocations=al, exceptions=ex)):
        p = channel_performance(PAY, BILLS, as_of=AS_OF, reconciliation=rec)
        m = p.matching.set_index("channel")
        assert m.loc["bank_transfer", ["n_payments", "n_matched", "n_exceptions"]].tolist() == [
            2, 0, 2]
        assert m.loc["bank_transfer", "matched_share"] == pytest.approx(15_000 / 22_000)
        assert m.loc["alipay", "match_rate"] == 1.0 and m.loc["auto_debit", "match_rate"] == 1.0
        # applied + exceptions = paid, per channel (P6 is after as_of: not counted)
        assert (m["applied_minor"] + m["exception_minor"] == m["paid_minor"]).all()
        r = p.exceptions_by_reason
        assert sorted(r["reason"]) == ["overpayment", "unknown_payer"]
    # exceptions without an amount: the part not applied
    p = channel_performance(PAY, BILLS, as_of=AS_OF, reconciliation={
        "allocations": al, "exceptions": ex.drop(columns="amount_minor")})
    assert p.matching.set_index("channel").loc["bank_transfer", "exception_minor"] == 7_000


def test_reconciliation_errors():
    al = pd.DataFrame({"payment_id": ["P9"], "amount_minor": [1]})
    ex = pd.DataFrame({"payment_id": [], "reason": []})
    with pytest.raises(ParameterError, match=r"\['P9'\] that are not in payments"):
        channel_performance(PAY, BILLS, as_of=AS_OF,
                            reconciliation={"allocations": al, "exceptions": ex})
    with pytest.raises(SchemaError, match="exceptions lacks"):
        channel_performance(PAY, BILLS, as_of=AS_OF, reconciliation={
            "allocations": al, "exceptions": pd.DataFrame({"payment_id": ["P1"]})})
    with pytest.raises(ParameterError, match=r"\.allocations and \.exceptions"):
        channel_performance(PAY, BILLS, as_of=AS_OF, reconciliation=object())


@pytest.mark.parametrize(("kwargs", "match"), [
    ({"by": "fortnight"}, "by must be one of"),
    ({"as_of": "not a date"}, "as_of"),
    ({"payments": PAY.drop(columns="paid_date")}, "lacks column"),
    ({"bills": "bills"}, "DataFrame"),
])
def test_input_errors(kwargs, match):
    args = {"payments": PAY, "bills": BILLS, "as_of": AS_OF}
    args.update(kwargs)
    with pytest.raises(CreditkitError, match=match):
        channel_performance(args.pop("payments"), args.pop("bills"), **args)


def test_generator_portfolio_totals_and_truth_match_rates():
    book = make_portfolio(1500, seed=12, kind="mixed", end="2025-06-30", truth=True)
    pay, as_of = book["payments"], "2025-05-31"
    p = channel_performance(pay, book["bills"], as_of=as_of)
    cash = pay[(pay["kind"] == "payment") & (pay["paid_date"] <= as_of)]
    assert int(p.collected["paid_minor"].sum()) == int(cash["amount_minor"].sum())
    assert set(p.collected["channel"]) <= {"bank_transfer", "card", "alipay", "wechat",
                                           "auto_debit", "cash"}
    # the generator's auto-debits are on time by construction and never fail
    t = p.timing.set_index("channel")
    assert t.loc["auto_debit", "days_median"] == 0 and t.loc["auto_debit", "on_time_share"] == 1
    assert (p.auto_debit["debit_success_rate"] == 1).all()
    # a reconciliation that knows only the truth for identified payers
    known = cash[cash["customer_id"].notna()]["payment_id"]
    al = book["allocations"][book["allocations"]["payment_id"].isin(known)]
    ex = pd.DataFrame({"payment_id": cash.loc[cash["customer_id"].isna(), "payment_id"],
                       "reason": "unknown_payer"})
    m = channel_performance(pay, book["bills"], as_of=as_of, reconciliation={
        "allocations": al, "exceptions": ex}).matching.set_index("channel")
    # unknown payers only happen on bank transfer and cash (UNKNOWN_PAYER_SHARE = 4 %)
    assert m.loc["alipay", "n_exceptions"] == 0 and m.loc["auto_debit", "match_rate"] == 1
    assert 0.9 < m.loc["bank_transfer", "match_rate"] < 1


def test_days_to_pay_follow_the_reconciled_allocations_not_payments_as_received():
    # Q1 is A's, names no bill: as received the ledger pours it into A's oldest bill (B1, due
    # 01-31: 38 days late); the reconciliation read its reference and put it on B2 (due 02-28:
    # 10 days late). Q2 has no customer: as received it pays nothing; reconciled, it paid B3.
    pay = pd.DataFrame({
        "payment_id": ["Q1", "Q2"], "customer_id": ["A", None],
        "paid_date": [D("2025-03-10"), D("2025-02-03")], "amount_minor": [10_000, 30_000],
        "currency": ["CNY", "CNY"], "kind": ["payment", "payment"],
        "channel": ["bank_transfer", "wechat"]})
    as_received = channel_performance(pay, BILLS, as_of=AS_OF).timing.set_index("channel")
    assert as_received.loc["bank_transfer", "days_median"] == 38
    assert "wechat" not in as_received.index
    rec = {"allocations": pd.DataFrame({"payment_id": ["Q1", "Q2"], "bill_id": ["B2", "B3"],
                                        "amount_minor": [10_000, 30_000]}),
           "exceptions": pd.DataFrame({"payment_id": [], "reason": []})}
    t = channel_performance(pay, BILLS, as_of=AS_OF, reconciliation=rec).timing
    t = t.set_index("channel")
    assert t.loc["bank_transfer", "days_median"] == 10
    assert t.loc["wechat", ["days_median", "applied_minor", "on_time_share"]].tolist() == [
        3, 30_000, 0]
    # an allocation naming a bill that is not in bills is an error, not a silent drop
    bad = {**rec, "allocations": rec["allocations"].assign(bill_id=["B2", "B9"])}
    with pytest.raises(ParameterError, match=r"bill\(s\) \['B9'\]"):
        channel_performance(pay, BILLS, as_of=AS_OF, reconciliation=bad)
    with pytest.raises(SchemaError, match="bill_id"):
        channel_performance(pay, BILLS, as_of=AS_OF, reconciliation={
            **rec, "allocations": rec["allocations"].drop(columns="bill_id")})


def test_days_to_pay_of_a_reconcile_run_add_up_to_its_cash_allocations():
    from creditkit.collections import reconcile

    book = make_portfolio(200, seed=8, kind="mixed", start="2025-01-01", end="2025-06-30")
    pay, as_of = book["payments"], "2025-06-30"
    rec = reconcile(pay, book["bills"], book["customers"], as_of=as_of)
    t = channel_performance(pay, book["bills"], as_of=as_of, reconciliation=rec).timing
    cash = pay.loc[pay["kind"] == "payment", "payment_id"]
    al = rec.allocations[rec.allocations["payment_id"].isin(cash)]
    assert int(t["applied_minor"].sum()) == int(al["amount_minor"].sum())
    assert int(t["n_allocations"].sum()) == len(al)
