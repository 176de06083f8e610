"""Each reconciliation rule on a hand-made case (issue 11, "What it must show")."""

from __future__ import annotations

import pandas as pd
import pytest

from creditkit.aging import bill_aging
from creditkit.collections import (
    REASONS,
    apply_reconciliation,
    check_decisions,
    load_rules,
    reconcile,
)
from creditkit.exceptions import CreditkitError, DataReadError, ParameterError, SchemaError
from creditkit.labels import label
from creditkit.schema import validate

AS_OF = "2025-06-30"
CUSTOMERS = pd.DataFrame({
    "customer_id": ["C1", "C2", "C3", "C4"],
    "name": ["杭州明达贸易有限公司", "张伟", "张伟", "上海恒通精密机械制造有限公司"],
})


def bills(*rows) -> pd.DataFrame:
    """Rows of (bill_id, invoice_id, customer_id, issue, due, amount[, currency])."""
    out = []
    for r in rows:
        bill_id, inv, cust, issue, due, amount, *cur = r
        out.append({"bill_id": bill_id, "invoice_id": inv, "customer_id": cust,
                    "issue_date": pd.Timestamp(issue), "due_date": pd.Timestamp(due),
                    "amount_minor": amount, "currency": cur[0] if cur else "CNY"})
    return pd.DataFrame(out)


def pays(*rows, **extra) -> pd.DataFrame:
    """Rows of (payment_id, customer_id, paid, amount, reference, payer_name[, currency])."""
    out = []
    for r in rows:
        pid, cust, paid, amount, ref, payer, *cur = r
        out.append({"payment_id": pid, "customer_id": cust, "paid_date": pd.Timestamp(paid),
                    "amount_minor": amount, "currency": cur[0] if cur else "CNY",
                    "kind": "payment", "channel": "bank_transfer", "reference": ref,
                    "payer_name": payer, "bill_id": None, "invoice_id": None, **extra})
    return pd.DataFrame(out)


BOOK = bills(
    ("B1", "INV-0000123", "C1", "2025-01-05", "2025-02-04", 100_000),
    ("B2", "INV-0000124", "C1", "2025-01-20", "2025-02-19", 250_000),
    ("B3", "INV-0000131", "C1", "2025-02-01", "2025-03-03", 80_000),
    ("B4", "INV-0000456", "C4", "2025-01-10", "2025-02-09", 70_000),
)


def run(payments, book=BOOK, **kw):
    rec = reconcile(payments, book, CUSTOMERS, as_of=AS_OF, **kw)
    assert rec.invariants()["ok"].all(), rec.invariants()
    validate(rec.allocations, "allocations")
    validate(rec.writeoffs, "allocations")
    return rec


def applied(rec) -> list[tuple[str, str, int]]:
    return [tuple(r) for r in rec.allocations[["payment_id", "bill_id", "amount_minor"]].values]


def test_typo_in_the_reference_is_matched_when_the_amount_confirms_it() -> None:
    # unknown payer; INV0000132 (last two digits of INV-0000123 swapped) is no invoice; the
    # blocked search finds INV-0000123 and INV-0000131, the amount picks the first
    rec = run(pays(("P1", None, "2025-02-10", 100_000, "付款INV0000132", "某人")))
    assert applied(rec) == [("P1", "B1", 100_000)]
    assert rec.allocations["method"].tolist() == ["reference_fuzzy"]
    assert rec.by_payment["customer_id"].tolist() == ["C1"]
    # a known payer's typo anywhere in the number is searched among its own bills
    rec = run(pays(("P1", "C1", "2025-02-10", 100_000, "付款INV0000213", "杭州明达贸易")))
    assert applied(rec) == [("P1", "B1", 100_000)]


def test_typo_without_amount_confirmation_goes_to_exceptions_with_its_candidate() -> None:
    rec = run(pays(("P1", "C1", "2025-02-10", 90_000, "付款INV0000213", "x")))
    assert rec.allocations.empty
    ex = rec.exceptions.iloc[0]
    assert (ex["reason"], ex["best_bill_id"], ex["amount_minor"]) == ("low_confidence", "B1",
                                                                      90_000)


def test_truncated_reference() -> None:
    # "INV-00004" cuts INV-0000456 after two characters; only B4 has the amount
    rec = run(pays(("P1", None, "2025-02-10", 70_000, "INV-00004", "上海恒通机械")))
    assert applied(rec) == [("P1", "B4", 70_000)]
    assert rec.by_payment.set_index("payment_id").loc["P1", "customer_id"] == "C4"


def test_full_width_digits_and_letters() -> None:
    rec = run(pays(("P1", None, "2025-02-10", 250_000, "货款ＩＮＶ－００００１２４", "某人")))
    assert applied(rec) == [("P1", "B2", 250_000)]
    assert rec.allocations["method"].iloc[0] == "reference_match"


def test_dropped_separator_case_and_zeros() -> None:
    rec = run(pays(("P1", "C1", "2025-02-10", 100_000, "inv 123", None),
                   ("P2", "C1", "2025-02-11", 250_000, "inv0000124", None)))
    assert applied(rec) == [("P1", "B1", 100_000), ("P2", "B2", 250_000)]


def test_two_bills_paid_by_one_transfer() -> None:
    # names the first invoice and says "2 bills": the rest is exactly B2
    rec = run(pays(("P1", "C1", "2025-02-15", 350_000, "货款 INV-0000123 等2笔", None)))
    assert applied(rec) == [("P1", "B1", 100_000), ("P1", "B2", 250_000)]
    assert set(rec.allocations["method"]) == {"reference_match", "reference_combination"}


def test_two_bills_paid_by_amount_alone_is_an_exact_combination() -> None:
    rec = run(pays(("P1", "C1", "2025-02-15", 180_000, "3月货款", None)))
    assert applied(rec) == [("P1", "B1", 100_000), ("P1", "B3", 80_000)]
    assert set(rec.allocations["method"]) == {"amount_combination"}


def test_partial_payment_of_a_named_bill() -> None:
    rec = run(pays(("P1", "C1", "2025-02-10", 40_000, "付款 INV-0000124", None)))
    assert applied(rec) == [("P1", "B2", 40_000)]
    assert rec.exceptions.empty
    aging = bill_aging(BOOK, apply_reconciliation(pays(
        ("P1", "C1", "2025-02-10", 40_000, "付款 INV-0000124", None)), rec), as_of=AS_OF,
        mode="explicit").set_index("bill_id")
    assert aging.loc["B2", "outstanding_minor"] == 210_000


def test_overpayment_keeps_the_rest_visible() -> None:
    rec = run(pays(("P1", "C4", "2025-02-10", 75_000, "付款 INV-0000456", None)))
    assert applied(rec) == [("P1", "B4", 70_000)]
    ex = rec.exceptions.iloc[0]
    assert (ex["reason"], ex["amount_minor"]) == ("overpayment", 5_000)


def test_short_payment_inside_tolerance_books_the_difference() -> None:
    rec = run(pays(("P1", "C1", "2025-02-10", 99_950, "付款 INV-0000123", None)))
    assert applied(rec) == [("P1", "B1", 99_950)]
    wo = rec.writeoffs
    assert wo[["bill_id", "amount_minor", "method"]].values.tolist() == [
        ["B1", 50, "tolerance_writeoff"]]
    posted = apply_reconciliation(pays(("P1", "C1", "2025-02-10", 99_950, "付款 INV-0000123",
                                        None)), rec)
    aging = bill_aging(BOOK, posted, as_of=AS_OF, mode="explicit").set_index("bill_id")
    assert aging.loc["B1", "outstanding_minor"] == 0
    assert posted["amount_minor"].sum() == 99_950 + 50  # cash plus the booked write-off


def test_short_payment_outside_tolerance_is_a_partial_without_write_off() -> None:
    rules = {"tolerance_abs_minor": 10}
    rec = run(pays(("P1", "C1", "2025-02-10", 99_950, "付款 INV-0000123", None)), rules=rules)
    assert applied(rec) == [("P1", "B1", 99_950)]
    assert rec.writeoffs.empty


def test_short_payment_inside_tolerance_found_by_amount() -> None:
    rec = run(pays(("P1", "C4", "2025-02-10", 69_990, None, None)))
    assert applied(rec) == [("P1", "B4", 69_990)]
    assert rec.writeoffs["amount_minor"].tolist() == [10]


def test_unknown_payer_goes_to_exceptions() -> None:
    rec = run(pays(("P1", None, "2025-02-10", 100_000, "转账", "王五")))
    assert rec.allocations.empty
    ex = rec.exceptions.iloc[0]
    assert (ex["reason"], ex["amount_minor"], ex["customer_id"]) == ("unknown_payer", 100_000,
                                                                     None)


def test_payer_found_by_name_then_amount() -> None:
    rec = run(pays(("P1", None, "2025-02-10", 70_000, None, "上海恒通精密机械制造有限公司")))
    assert applied(rec) == [("P1", "B4", 70_000)]
    assert rec.by_payment["payer_method"].tolist() == ["name_exact"]


def test_payer_found_by_fuzzy_name_with_a_margin() -> None:
    customers = pd.concat([CUSTOMERS, pd.DataFrame({"customer_id": ["C5"],
                                                    "name": ["上海恒通电子有限公司"]})])
    payments = pays(("P1", None, "2025-02-10", 70_000, None, "上海恒通精密机槭制造"))  # a typo
    rec = reconcile(payments, BOOK, customers, as_of=AS_OF)
    assert rec.by_payment["customer_id"].tolist() == ["C4"]
    assert rec.by_payment["payer_method"].tolist() == ["name_fuzzy"]
    # below the auto level: the payer score times the amount rule stays an exception
    assert rec.exceptions["reason"].tolist() == ["low_confidence"]
    loose = reconcile(payments, BOOK, customers, as_of=AS_OF, rules={"auto_apply_level": 0.7})
    assert applied(loose) == [("P1", "B4", 70_000)]


def test_name_shared_by_two_customers_is_never_auto_matched() -> None:
    book = bills(("B9", "INV-0000900", "C2", "2025-01-05", "2025-02-04", 5_000))
    rec = run(pays(("P1", None, "2025-02-10", 5_000, "还款", "张伟")), book=book)
    assert rec.allocations.empty
    assert rec.exceptions["reason"].tolist() == ["shared_name"]


def test_shared_name_with_a_bill_number_uses_the_bill() -> None:
    book = bills(("B9", "INV-0000900", "C2", "2025-01-05", "2025-02-04", 5_000))
    rec = run(pays(("P1", None, "2025-02-10", 5_000, "还款 INV-0000900", "张伟")), book=book)
    assert applied(rec) == [("P1", "B9", 5_000)]


def test_payment_in_another_currency_never_pays_a_cny_bill() -> None:
    rec = run(pays(("P1", "C4", "2025-02-10", 70_000, "付款 INV-0000456", None, "USD")))
    assert rec.allocations.empty
    ex = rec.exceptions.iloc[0]
    assert (ex["reason"], ex["currency"], ex["amount_minor"]) == ("currency_mismatch", "USD",
                                                                  70_000)
    s = rec.summary
    assert s.loc[s["currency"] == "USD", "exception_minor"].tolist() == [70_000]


def test_payer_account_maps_to_a_customer() -> None:
    p = pays(("P1", None, "2025-02-10", 70_000, None, "某人"), payer_account="6222-01")
    rec = run(p, accounts=pd.DataFrame({"payer_account": ["6222-01"], "customer_id": ["C4"]}))
    assert applied(rec) == [("P1", "B4", 70_000)]
    assert rec.by_payment["payer_method"].tolist() == ["account"]


def test_manual_confirmation_wins_over_the_rules() -> None:
    p = pays(("P1", "C1", "2025-02-10", 100_000, "付款 INV-0000123", None))
    d = pd.DataFrame({"payment_id": ["P1"], "bill_id": ["B3"], "amount_minor": [80_000],
                      "decision": ["confirm"]})
    rec = run(p, decisions=d)
    assert applied(rec) == [("P1", "B3", 80_000)]
    assert rec.allocations["method"].tolist() == ["manual"]
    assert rec.exceptions[["amount_minor", "reason"]].values.tolist() == [
        [20_000, "manual_remainder"]]


def test_manual_rejection_forbids_the_pair() -> None:
    p = pays(("P1", "C1", "2025-02-10", 100_000, "付款 INV-0000123", None))
    d = pd.DataFrame({"payment_id": ["P1"], "bill_id": ["B1"], "amount_minor": [None],
                      "decision": ["reject"]})
    rec = run(p, decisions=d)
    assert "B1" not in rec.allocations["bill_id"].tolist()
    assert rec.exceptions["amount_minor"].sum() + rec.allocations["amount_minor"].sum() == 100_000


def test_payment_after_as_of_is_an_exception() -> None:
    rec = run(pays(("P1", "C1", "2025-07-02", 100_000, "付款 INV-0000123", None)))
    assert rec.allocations.empty
    assert rec.exceptions["reason"].tolist() == ["after_as_of"]


def test_named_bill_already_paid() -> None:
    rec = run(pays(("P1", "C4", "2025-02-10", 70_000, "付款 INV-0000456", None),
                   ("P2", "C4", "2025-02-20", 70_000, "付款 INV-0000456", None)))
    assert applied(rec) == [("P1", "B4", 70_000)]
    assert rec.exceptions[["payment_id", "reason"]].values.tolist() == [
        ["P2", "bill_already_paid"]]


def test_equal_instalments_are_paid_oldest_first_by_amount() -> None:
    book = bills(("I1", "ORD-1", "C4", "2025-01-01", "2025-02-01", 5_000),
                 ("I2", "ORD-1", "C4", "2025-01-01", "2025-03-01", 5_000),
                 ("I3", "ORD-1", "C4", "2025-01-01", "2025-04-01", 5_000))
    rec = run(pays(("P2", "C4", "2025-03-01", 5_000, "还款", None),
                   ("P1", "C4", "2025-02-01", 5_000, "还款", None)), book=book)
    assert applied(rec) == [("P1", "I1", 5_000), ("P2", "I2", 5_000)]


def test_reconciled_payment_no_longer_leaves_the_bill_past_due() -> None:
    p = pays(("P1", None, "2025-02-10", 70_000, "INV-00004", "上海恒通机械"))
    before = bill_aging(BOOK, p, as_of=AS_OF).set_index("bill_id")
    assert before.loc["B4", "outstanding_minor"] == 70_000  # no customer, no bill: unclaimed
    rec = run(p)
    after = bill_aging(BOOK, apply_reconciliation(p, rec), as_of=AS_OF).set_index("bill_id")
    assert after.loc["B4", "outstanding_minor"] == 0


def test_every_reason_has_a_label_in_both_languages() -> None:
    for reason in REASONS:
        assert label(reason, "zh") != reason and label(reason, "en") != reason


def test_rules_file_error_names_the_line(tmp_path) -> None:
    path = tmp_path / "rules.csv"
    path.write_text("parameter,value\nauto_apply_level,0.95\ntolerance_pct,abc\n")
    with pytest.raises(ParameterError, match=r"rules.csv line 3: tolerance_pct must be a share"):
        load_rules(path)
    path.write_text("parameter,value\nauto_level,0.95\n")
    with pytest.raises(ParameterError, match=r"line 2: unknown parameter 'auto_level'"):
        load_rules(path)
    path.write_text("parameter,value\nauto_apply_level,1.5\n")
    with pytest.raises(CreditkitError, match=r"line 2: auto_apply_level must be a share from 0"):
        load_rules(path)
    path.write_text("parameter,value\nauto_apply_level,0.95\n")
    assert load_rules(path).auto_apply_level == 0.95
    assert load_rules(path).tolerance_abs_minor == load_rules().tolerance_abs_minor


def test_rules_errors(tmp_path) -> None:
    bad_header = tmp_path / "r.csv"
    bad_header.write_text("name,val\nauto_apply_level,0.9\n")
    with pytest.raises(ParameterError, match=r"r\.csv line 1: no column 'parameter'"):
        load_rules(bad_header)
    bad_header.write_text("parameter,value\n")
    with pytest.raises(DataReadError, match=r"r\.csv has no rows"):
        load_rules(bad_header)
    with pytest.raises(DataReadError, match="does not exist"):
        load_rules("/nonexistent/rules.csv")
    with pytest.raises(ParameterError, match="unknown rule"):
        load_rules({"auto": 1})
    with pytest.raises(ParameterError, match="must be a path"):
        load_rules(3)


def test_decisions_errors_name_the_row() -> None:
    p = pays(("P1", "C1", "2025-02-10", 100_000, None, None))
    d = pd.DataFrame({"payment_id": ["P1", "P9"], "bill_id": ["B1", "B1"],
                      "amount_minor": [1, 1], "decision": ["confirm", "confirm"]})
    with pytest.raises(SchemaError, match="decisions row 1: payment 'P9'"):
        check_decisions(d, p, BOOK)
    with pytest.raises(SchemaError, match="decisions row 0: confirmations exceed the payment"):
        check_decisions(d.iloc[:1].assign(amount_minor=200_000), p, BOOK)
    with pytest.raises(SchemaError, match="row 0: a confirmation needs a positive"):
        check_decisions(d.iloc[:1].assign(amount_minor=0), p, BOOK)
    with pytest.raises(SchemaError, match="bill 'B7'"):
        check_decisions(d.iloc[:1].assign(bill_id="B7"), p, BOOK)
    with pytest.raises(SchemaError, match="missing column"):
        check_decisions(d.drop(columns="decision"), p, BOOK)
    usd = pays(("P1", "C1", "2025-02-10", 100_000, None, None, "USD"))
    with pytest.raises(SchemaError, match="currencies never mix"):
        check_decisions(d.iloc[:1], usd, BOOK)


def test_bad_inputs_raise_schema_errors() -> None:
    p = pays(("P1", "C1", "2025-02-10", 100_000, None, None))
    with pytest.raises(SchemaError, match="customers is missing"):
        reconcile(p, BOOK, CUSTOMERS.drop(columns="name"), as_of=AS_OF)
    with pytest.raises(SchemaError, match="negative"):
        reconcile(p.assign(amount_minor=-1), BOOK, CUSTOMERS, as_of=AS_OF)
    with pytest.raises(SchemaError, match="repeats"):
        reconcile(pd.concat([p, p]), BOOK, CUSTOMERS, as_of=AS_OF)
    with pytest.raises(ParameterError):
        reconcile(p, BOOK, CUSTOMERS, as_of="not a date")
    with pytest.raises(SchemaError, match="not computed from these payments"):
        apply_reconciliation(p.assign(amount_minor=5), run(p))


def test_payments_are_matched_in_time_order() -> None:
    # the first instalment is paid with no reference; a month later the next one names the
    # order: oldest first must not hand the later payment the bill the earlier one paid
    book = bills(("I1", "ORD-0000077", "C4", "2025-01-01", "2025-02-01", 5_000),
                 ("I2", "ORD-0000077", "C4", "2025-01-01", "2025-03-01", 5_000))
    rec = run(pays(("P1", "C4", "2025-02-01", 5_000, "还款", None),
                   ("P2", "C4", "2025-03-20", 5_000, "还款 ORD-0000077", None)), book=book)
    assert applied(rec) == [("P1", "I1", 5_000), ("P2", "I2", 5_000)]


def test_customer_aging_takes_the_reconciled_payments() -> None:
    from creditkit.aging import customer_aging

    p = pays(("P1", None, "2025-02-10", 70_000, "INV-00004", "上海恒通机械"))
    before = customer_aging(BOOK, p, as_of=AS_OF).set_index("customer_id")
    assert before.loc["C4", "past_due_minor"] == 70_000
    after = customer_aging(BOOK, apply_reconciliation(p, run(p)), as_of=AS_OF,
                           mode="explicit").set_index("customer_id")
    assert after.loc["C4", "past_due_minor"] == 0
    assert after.loc["C4", "paid_minor"] == 70_000


def test_unmatched_amount_offers_the_payers_open_bills_as_candidates() -> None:
    rec = run(pays(("P1", "C1", "2025-02-10", 60_000, "货款", None)))
    assert rec.allocations.empty
    ex = rec.exceptions.iloc[0]
    assert ex["reason"] == "no_amount_match"
    # score = payer 1.0 x 0.6 x amount ratio: B3 (80,000) is the closest amount
    assert ex["best_bill_id"] == "B3"
    assert ex["candidates"] == "B3 (0.45), B1 (0.36), B2 (0.14)"


def test_shipped_rules_file_matches_the_defaults() -> None:
    from creditkit.collections import ReconcileRules

    assert load_rules() == ReconcileRules()


def test_more_rules_file_errors(tmp_path) -> None:
    path = tmp_path / "rules.csv"
    path.write_text("parameter,value\nmax_block,\n")
    with pytest.raises(ParameterError, match="line 2: max_block has no value"):
        load_rules(path)
    path.write_text("parameter,value\nmax_block\n")
    with pytest.raises(ParameterError, match="line 2: 1 cells where the header has 2"):
        load_rules(path)
    path.write_text("parameter,value\n# a comment\n\nmax_block,5\nmax_block,6\n")
    with pytest.raises(ParameterError, match="line 5: max_block is set twice"):
        load_rules(path)
    path.write_text("parameter,value\nmax_combination_bills,2.5\n")
    with pytest.raises(ParameterError, match="line 2: max_combination_bills must be a whole"):
        load_rules(path)


def test_accounts_table_errors() -> None:
    p = pays(("P1", None, "2025-02-10", 70_000, None, "某人"), payer_account="6222-01")
    with pytest.raises(SchemaError, match="accounts needs columns"):
        reconcile(p, BOOK, CUSTOMERS, as_of=AS_OF, accounts=pd.DataFrame({"acct": ["x"]}))
    twice = pd.DataFrame({"payer_account": ["6222-01", "6222-01"], "customer_id": ["C1", "C4"]})
    with pytest.raises(SchemaError, match="map to more than one customer"):
        reconcile(p, BOOK, CUSTOMERS, as_of=AS_OF, accounts=twice)


def test_confirmations_beyond_a_bill_are_refused() -> None:
    p = pays(("P1", "C4", "2025-02-10", 70_000, None, None),
             ("P2", "C4", "2025-02-11", 70_000, None, None))
    d = pd.DataFrame({"payment_id": ["P1", "P2"], "bill_id": ["B4", "B4"],
                      "amount_minor": [70_000, 10], "decision": ["confirm", "confirm"]})
    with pytest.raises(SchemaError, match="decisions row 1: confirmations exceed the bill"):
        reconcile(p, BOOK, CUSTOMERS, as_of=AS_OF, decisions=d)


def test_reconciliation_labels_do_not_redefine_other_sections() -> None:
    from creditkit.labels import SECTIONS

    mine = SECTIONS["collections"]
    for name, section in SECTIONS.items():
        if name != "collections":
            assert not set(mine) & set(section), name


def test_rules_file_is_read_as_every_policy_table(tmp_path) -> None:
    """The shared policy-file reader: notes, GB18030, percent shares, tables, workbooks."""
    path = tmp_path / "rules.csv"
    path.write_bytes("parameter,value,meaning\n# 我们的容差\ntolerance_pct,0.2%,百分比\n"
                     "auto_apply_level,95%,自动\n".encode("gb18030"))
    rules = load_rules(path)
    assert (rules.tolerance_pct, rules.auto_apply_level) == (0.002, 0.95)
    assert rules.max_block == load_rules().max_block  # lines not given keep the default
    path.write_text("parameter,value\n\ntolerance_pct,0.6\n")
    with pytest.raises(ParameterError, match=r"rules\.csv line 3: tolerance_pct must be a share "
                                             r"from 0 to 0\.5"):
        load_rules(path)
    path.write_text("parameter,value\nname_score_min,101\n")
    with pytest.raises(ParameterError, match="line 2: name_score_min must be a number from 0 "
                                             "to 100"):
        load_rules(path)
    path.write_bytes(b"PK\x03\x04 not a csv")
    with pytest.raises(DataReadError, match="Excel workbook"):
        load_rules(path)
    table = pd.DataFrame({"parameter": ["max_block", "combination_window"], "value": ["50", "x"]})
    assert load_rules(table.iloc[:1]).max_block == 50
    with pytest.raises(ParameterError, match="reconciliation rules line 3: combination_window "
                                             "must be a whole number"):
        load_rules(table)
