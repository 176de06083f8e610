"""Matching gaps of issue 11 closed in the second session, one hand-made case each.

1. Within one window, a payment naming an invoice took the instalment an earlier
   payment without a reference had paid.
2. For an unknown payer, a one-character typo was found only in the last two
   characters of a number.
3. The fuzzy payer-name match missed a typo in the first two characters.
"""

from __future__ import annotations

import pandas as pd
import pytest

from creditkit.collections import reconcile
from creditkit.exceptions import SchemaError

AS_OF = "2025-06-30"
CUSTOMERS = pd.DataFrame({
    "customer_id": ["C1", "C4", "C5", "C6"],
    "name": ["杭州明达贸易有限公司", "上海恒通精密机械制造有限公司",
             "北京华星精密电子科技发展有限公司", "深圳华星精密电子科技发展有限公司"],
})


def bills(*rows) -> pd.DataFrame:
    """Rows of (bill_id, invoice_id, customer_id, issue, due, amount)."""
    return pd.DataFrame([{"bill_id": b, "invoice_id": inv, "customer_id": c,
                          "issue_date": pd.Timestamp(i), "due_date": pd.Timestamp(d),
                          "amount_minor": a, "currency": "CNY"}
                         for b, inv, c, i, d, a in rows])


def pays(*rows) -> pd.DataFrame:
    """Rows of (payment_id, customer_id, paid, amount, reference, payer_name)."""
    return pd.DataFrame([{"payment_id": p, "customer_id": c, "paid_date": pd.Timestamp(d),
                          "amount_minor": a, "currency": "CNY", "kind": "payment",
                          "channel": "bank_transfer", "reference": r, "payer_name": n,
                          "bill_id": None, "invoice_id": None}
                         for p, c, d, a, r, n in rows])


BOOK = bills(
    ("B1", "INV-0000123", "C1", "2025-01-05", "2025-02-04", 100_000),
    ("B2", "INV-0000124", "C1", "2025-01-20", "2025-02-19", 250_000),
    ("B3", "INV-0000131", "C1", "2025-02-01", "2025-03-03", 80_000),
    ("B4", "INV-0000456", "C4", "2025-01-10", "2025-02-09", 70_000),
)


def applied(rec) -> list[tuple[str, str, int]]:
    rows = rec.allocations[["payment_id", "bill_id", "amount_minor"]].values
    return sorted(tuple(r) for r in rows)


def run(payments, book=BOOK):
    rec = reconcile(payments, book, CUSTOMERS, as_of=AS_OF)
    assert rec.invariants()["ok"].all(), rec.invariants()
    return rec


# --- 1. an earlier payment without a reference keeps the instalment it paid ----------------
INSTALMENTS = bills(
    ("B0000001", "ORD-0000700", "C1", "2024-12-01", "2024-12-31", 100_000),
    ("B0000002", "ORD-0000700", "C1", "2024-12-01", "2025-01-31", 100_000),
    ("B0000003", "ORD-0000700", "C1", "2024-12-01", "2025-02-28", 100_000),
)
# payments are matched 31 days at a time (WINDOW_DAYS, counted from 1970-01-01): 2025-01-02
# and 2025-01-20 fall in the same window


def test_a_later_payment_naming_the_invoice_leaves_the_earlier_payment_its_instalment() -> None:
    # P1 pays the first instalment with no reference; 18 days later (same window) P2 names
    # the order and pays the next two. The order names all three instalments: P2 must not
    # take the first one, which P1 had already paid when P2 arrived.
    rec = run(pays(("P1", "C1", "2025-01-02", 100_000, "转账", None),
                   ("P2", "C1", "2025-01-20", 200_000, "分期还款 ORD-0000700", None)),
              book=INSTALMENTS)
    assert applied(rec) == [("P1", "B0000001", 100_000), ("P2", "B0000002", 100_000),
                            ("P2", "B0000003", 100_000)]


def test_the_same_later_payment_alone_pays_the_oldest_instalments() -> None:
    rec = run(pays(("P2", "C1", "2025-01-20", 200_000, "分期还款 ORD-0000700", None)),
              book=INSTALMENTS)
    assert applied(rec) == [("P2", "B0000001", 100_000), ("P2", "B0000002", 100_000)]


def test_an_unreferenced_payment_after_the_named_one_comes_after_it() -> None:
    rec = run(pays(("P1", "C1", "2025-01-25", 100_000, "转账", None),
                   ("P2", "C1", "2025-01-20", 200_000, "分期还款 ORD-0000700", None)),
              book=INSTALMENTS)
    assert applied(rec) == [("P1", "B0000003", 100_000), ("P2", "B0000001", 100_000),
                            ("P2", "B0000002", 100_000)]


def test_a_bill_named_by_its_own_id_is_claimed_first_whatever_the_dates() -> None:
    # P2 names B1 itself: that claim is certain, so the earlier P1 (no reference, same amount)
    # takes the next instalment instead of B1
    rec = run(pays(("P1", "C1", "2025-01-02", 100_000, "转账", None),
                   ("P2", "C1", "2025-01-20", 100_000, "还款 B0000001", None)),
              book=INSTALMENTS)
    assert applied(rec) == [("P1", "B0000002", 100_000), ("P2", "B0000001", 100_000)]


def test_an_earlier_payment_is_not_held_back_by_a_later_payment_of_another_customer() -> None:
    book = pd.concat([INSTALMENTS, bills(
        ("B9", "INV-0000900", "C4", "2024-12-01", "2024-12-31", 100_000))], ignore_index=True)
    rec = run(pays(("P1", "C4", "2025-01-02", 100_000, "转账", None),
                   ("P2", "C1", "2025-01-20", 100_000, "分期还款 ORD-0000700", None)), book=book)
    assert applied(rec) == [("P1", "B9", 100_000), ("P2", "B0000001", 100_000)]


# --- 2. a typo anywhere in the number, payer unknown ---------------------------------------
def test_typo_in_the_middle_of_the_number_for_an_unknown_payer() -> None:
    # INV0001123: the fourth digit of INV-0000123 mistyped; the payer is unknown, so only the
    # blocked index over every bill can find it; the amount confirms B1
    rec = run(pays(("P1", None, "2025-02-10", 100_000, "付款INV0001123", "某人")))
    assert applied(rec) == [("P1", "B1", 100_000)]
    assert rec.allocations["method"].tolist() == ["reference_fuzzy"]
    assert rec.by_payment["customer_id"].tolist() == ["C1"]


def test_typo_in_the_first_digit_and_in_the_letters_for_an_unknown_payer() -> None:
    rec = run(pays(("P1", None, "2025-02-10", 70_000, "付款INV1000456", "某人"),
                   ("P2", None, "2025-02-10", 250_000, "付款IMV0000124", "某人")))
    assert applied(rec) == [("P1", "B4", 70_000), ("P2", "B2", 250_000)]


def test_dropped_and_added_digits_inside_the_number() -> None:
    rec = run(pays(("P1", None, "2025-02-10", 70_000, "INV000456", "某人"),      # a 0 dropped
                   ("P2", None, "2025-02-11", 250_000, "INV00001244", "某人")))  # a 4 added
    assert applied(rec) == [("P1", "B4", 70_000), ("P2", "B2", 250_000)]


def test_a_typo_the_amount_cannot_settle_stays_an_exception() -> None:
    # INV0000133 is one edit from both INV-0000123 and INV-0000131; 90,000 matches neither
    rec = run(pays(("P1", None, "2025-02-10", 90_000, "INV0000133", "某人")))
    assert rec.allocations.empty
    assert rec.exceptions["amount_minor"].tolist() == [90_000]


# --- 3. a typo in the first two characters of the payer's name ------------------------------
def test_fuzzy_name_with_a_typo_in_the_first_two_characters() -> None:
    # 上诲 for 上海: the first block (first two characters) misses; the second (characters 3-4,
    # the trade name) finds C4 (score 90); its 70,000 bill B4 is the candidate, offered to the
    # analyst: a fuzzy payer (0.9 × 0.90) times an exact amount stays below auto-apply 0.9
    rec = run(pays(("P1", None, "2025-02-10", 70_000, "货款", "上诲恒通精密机械制造")))
    bp = rec.by_payment.iloc[0]
    assert (bp["customer_id"], bp["payer_method"]) == ("C4", "name_fuzzy")
    ex = rec.exceptions.iloc[0]
    assert (ex["reason"], ex["best_bill_id"]) == ("low_confidence", "B4")


def test_second_block_keeps_the_margin_rule() -> None:
    # 北京华星… and 深圳华星… share the trade name; 北圳 is one character from either city:
    # two candidates equally close (score 92 each), no margin, so no auto-match
    book = bills(("B5", "INV-0000501", "C5", "2025-01-10", "2025-02-09", 30_000),
                 ("B6", "INV-0000601", "C6", "2025-01-10", "2025-02-09", 30_000))
    rec = run(pays(("P1", None, "2025-02-10", 30_000, "货款", "北圳华星精密电子科技发展")),
              book=book)
    assert rec.allocations.empty
    ex = rec.exceptions.iloc[0]
    assert ex["reason"] == "ambiguous_name"
    assert "C5" in ex["payer_candidates"] and "C6" in ex["payer_candidates"]


def test_second_block_never_matches_a_shared_name() -> None:
    customers = pd.concat([CUSTOMERS, pd.DataFrame({"customer_id": ["C7"],
                                                    "name": ["上海恒通精密机械制造有限公司"]})])
    rec = reconcile(pays(("P1", None, "2025-02-10", 70_000, "货款", "上诲恒通精密机械制造")),
                    BOOK, customers, as_of=AS_OF)
    assert rec.allocations.empty
    assert rec.by_payment["customer_id"].isna().all()


# --- found on the way: a repeated bill id while payments name bills -------------------------
def test_repeated_bill_id_named_by_a_payment_is_a_schema_error() -> None:
    # check_unique_ids leaves bills to the lookup when payments name bills; the lookup must
    # refuse the repeat with the shared message (it raised pandas' "cannot reindex" before)
    book = pd.concat([BOOK, BOOK.iloc[[0]]], ignore_index=True)
    p = pays(("P1", "C1", "2025-02-10", 100_000, "x", None)).assign(bill_id="B1")
    with pytest.raises(SchemaError, match=r"bills\.bill_id repeats"):
        reconcile(p, book, CUSTOMERS, as_of=AS_OF)
