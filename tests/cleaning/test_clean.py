"""clean_customers / clean_bills / clean_payments: routing, reasons, invariants, errors."""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
import pytest

from creditkit.cleaning import (
    CleaningInvariantError,
    CleanResult,
    clean_bills,
    clean_customers,
    clean_payments,
)
from creditkit.exceptions import ParameterError, SchemaError
from creditkit.schema import validate

# An independent contract of clean output, written with pandera (not used by the code).
BILLS_CONTRACT = pa.DataFrameSchema(
    {
        "bill_id": pa.Column(str, unique=True, nullable=False),
        "customer_id": pa.Column(str, nullable=False),
        "amount_minor": pa.Column("int64", pa.Check.ge(0)),
        "currency": pa.Column(str, pa.Check.str_matches(r"^[A-Z]{3}$")),
        "issue_date": pa.Column("datetime64[ns]", nullable=False),
        "due_date": pa.Column("datetime64[ns]", nullable=False),
    },
    checks=pa.Check(lambda df: df["due_date"] >= df["issue_date"]),
)


def bills_frame(**over):
    base = {
        "bill_id": ["B1", "B2", "B3", "B4"],
        "customer_id": ["C1", "C1", "C2", "C3"],
        "issue_date": ["2025-01-01", "2025/1/2", "2025年1月3日", "20250104"],
        "due_date": ["2025-02-01", "2025-02-02", "2025-02-03", "2025-02-04"],
        "amount": ["100.00", "¥2,000", "30", "40.5"],
    }
    base.update(over)
    return pd.DataFrame(base)


def test_clean_bills_happy_path_passes_schema_and_contract():
    res = clean_bills(bills_frame())
    assert len(res.clean) == 4 and res.quarantine.empty and res.merged.empty
    validate(res.clean, "bills")
    BILLS_CONTRACT.validate(res.clean)
    assert res.clean["amount_minor"].tolist() == [10000, 200000, 3000, 4050]
    assert res.clean["invoice_id"].tolist() == ["B1", "B2", "B3", "B4"]
    assert res.source_rows.tolist() == [1, 2, 3, 4]
    assert res.ok


@pytest.mark.parametrize(("column", "value", "reason"), [
    ("amount", "-5", "negative_amount"),
    ("amount", "abc", "invalid_amount"),
    ("amount", "#N/A", "excel_error"),
    ("amount", "", "missing_required"),
    ("amount", "1.001", "invalid_amount"),
    ("due_date", "2024-12-01", "due_before_issue"),
    ("due_date", "2025-02-30", "impossible_date"),
    ("due_date", "03/02/2025", "ambiguous_date"),
    ("due_date", "soon", "unparseable_date"),
    ("issue_date", "1970-01-01", "date_out_of_window"),
    ("bill_id", "  ", "missing_required"),
    ("customer_id", "#N/A", "excel_error"),
])
def test_clean_bills_quarantines_with_reason(column, value, reason):
    raw = bills_frame()
    raw.loc[1, column] = value
    res = clean_bills(raw)
    assert res.quarantine["reason"].tolist() == [reason]
    assert res.quarantine["source_row"].tolist() == [2]
    assert "B2" not in res.clean["bill_id"].tolist() or column == "bill_id"
    assert value.strip() in res.quarantine["raw"][0]
    assert len(res.clean) == 3 and res.ok


def test_message_lists_every_failure_first_reason_in_order():
    raw = bills_frame()
    raw.loc[0, ["amount", "due_date"]] = ["-1", "2024-01-01"]
    row = clean_bills(raw).quarantine.iloc[0]
    assert row["reason"] == "negative_amount"  # REASONS order: amounts before cross-field
    assert "due_before_issue(due_date)" in row["message"]
    assert "(got '-1')" in row["message"]


def test_dayfirst_reads_slash_dates():
    raw = bills_frame(due_date=["03/02/2025"] * 4)
    assert clean_bills(raw, dayfirst=True).clean["due_date"].iloc[0] == pd.Timestamp("2025-02-03")
    assert clean_bills(raw).quarantine["reason"].eq("ambiguous_date").all()


def test_as_of_and_window():
    raw = bills_frame(issue_date=["2025-01-01", "2025-01-01", "2025-01-01", "2026-01-01"],
                      due_date=["2026-02-01"] * 4)
    res = clean_bills(raw, as_of="2025-06-30")
    assert res.quarantine["reason"].tolist() == ["date_after_as_of"]
    res = clean_bills(raw, date_window=("2025-01-01", "2025-12-31"))
    assert res.quarantine["reason"].tolist() == ["date_out_of_window"] * 4


def test_exact_duplicates_merge_and_conflicts_quarantine_both():
    raw = pd.concat([bills_frame(), bills_frame().iloc[[0, 1]]], ignore_index=True)
    raw.loc[5, "amount"] = "2001"          # B2 again with another amount: a conflict
    raw.loc[4, "amount"] = "100"           # B1 again as "100" = "100.00": same after parsing
    res = clean_bills(raw)
    assert res.merged[["source_row", "key", "surviving_key", "surviving_source_row"]
                      ].values.tolist() == [[5, "B1", "B1", 1]]
    assert res.merged["amount_minor"].tolist() == [10000]
    q = res.quarantine
    assert q["reason"].tolist() == ["duplicate_key_conflict"] * 2
    assert q["source_row"].tolist() == [2, 6]
    assert sorted(res.clean["bill_id"]) == ["B1", "B3", "B4"]
    inv = res.invariants().set_index("check")
    assert inv.loc["rows", "expected"] == 6 and inv.loc["money CNY", "expected"] == (
        10000 + 200000 + 3000 + 4050 + 10000 + 200100)
    assert res.ok


def test_conflict_with_an_invalid_copy_holds_back_the_valid_one():
    raw = pd.concat([bills_frame(), bills_frame().iloc[[0]]], ignore_index=True)
    raw.loc[4, "amount"] = "x"
    q = clean_bills(raw).quarantine
    assert q[["source_row", "reason"]].values.tolist() == [
        [1, "duplicate_key_conflict"], [5, "invalid_amount"]]


def test_referential_checks():
    customers = pd.DataFrame({"客户编号": ["C1", "C2"], "姓名": ["甲", "乙"], "类型": ["个人"] * 2})
    res = clean_bills(bills_frame(), customers=customers)
    assert res.quarantine[["key", "reason"]].values.tolist() == [["B4", "unknown_customer"]]
    cleaned = clean_customers(customers.assign(类型=["个人", "外星人"]))
    res = clean_bills(bills_frame(), customers=cleaned)   # C2 quarantined: its bill waits too
    assert res.quarantine["key"].tolist() == ["B3", "B4"]
    bills = clean_bills(bills_frame(invoice_id=["I1", "I1", "I2", "I3"]))
    pays = pd.DataFrame({"payment_id": ["P1", "P2", "P3", "P4"], "paid_date": ["2025-03-01"] * 4,
                         "amount": ["1"] * 4, "bill_id": ["B1", "B9", "", ""],
                         "invoice_id": ["", "", "I2", "I9"], "customer_id": ["C1", "", "", "C7"]})
    res = clean_payments(pays, bills=bills, customers=cleaned)
    assert res.quarantine[["key", "reason"]].values.tolist() == [
        ["P2", "unknown_bill"], ["P4", "unknown_customer"]]
    assert "unknown_invoice(invoice_id)" in res.quarantine["message"][1]


def test_reference_frame_without_key_raises():
    with pytest.raises(SchemaError, match="has no customer_id column"):
        clean_bills(bills_frame(), customers=pd.DataFrame({"x": [1]}))
    with pytest.raises(ParameterError, match="customers must be a DataFrame or a CleanResult"):
        clean_bills(bills_frame(), customers=["C1"])


def test_clean_customers_fields():
    raw = pd.DataFrame({
        "客户编号": ["C1", "C2", "C3", "C4", "C5"],
        "客户名称": ["ＡＢＣ贸易有限公司", " 张　三 ", "李四", "王五", "赵六"],
        "证件号码": ["91350100M000100Y43", "110105491231002", "11010519491231002X",
                 "110105194912310021", ""],
        "手机号": ["021-62345678", "+86 13800138000", "#N/A", "1380013800", ""],
        "授信额度": ["¥50,000", "", "3000", "1000", "-1"],
        "开户日期": ["2020/5/1", "45296", "", "2020-01-01", "2020-01-01"],
    })
    res = clean_customers(raw)
    c = res.clean.set_index("customer_id")
    assert c.loc["C1", ["name", "kind", "id_number", "phone"]].tolist() == [
        "ABC贸易有限公司", "business", "91350100M000100Y43", "021-62345678"]
    assert c.loc["C2", ["name", "kind", "id_number"]].tolist() == [
        "张三", "consumer", "11010519491231002X"]
    assert c.loc["C2", "open_date"] == pd.Timestamp("2024-01-05")
    assert c.loc["C1", "credit_limit_minor"] == 5000000
    assert pd.isna(c.loc["C2", "credit_limit_minor"])
    assert c.loc["C3", "credit_limit_minor"] == 300000
    q = res.quarantine.set_index("key")["reason"].to_dict()
    assert q == {"C4": "invalid_id_number", "C5": "missing_required"}
    assert "kind" in res.quarantine.set_index("key").loc["C5", "message"]
    validate(res.clean, "customers")
    assert res.ok


def test_clean_payments_channels_kinds_currency():
    raw = pd.DataFrame({
        "流水号": ["P1", "P2", "P3", "P4"],
        "到账日期": ["2025-01-02"] * 4,
        "金额": ["US$10", "20", "30", "-5"],
        "币种": ["", "人民币", "USD", "CNY"],
        "支付方式": ["Alipay", "代扣", "网银", "现金"],
        "类型": ["还款", "红字", "", "还款"],
        "付款人": ["张 三", "", "", ""],
    })
    res = clean_payments(raw)
    c = res.clean
    assert c[["payment_id", "currency", "amount_minor", "channel", "kind"]].values.tolist()[:2] \
        == [["P1", "USD", 1000, "alipay", "payment"], ["P2", "CNY", 2000, "auto_debit",
                                                        "credit_note"]]
    assert c["payer_name"][0] == "张三" and pd.isna(c["kind"][2])
    assert res.quarantine["reason"].tolist() == ["negative_amount"]
    assert res.money_in.to_dict() == {"CNY": 2000 - 500, "USD": 1000 + 3000}
    validate(c, "payments")


def test_unknown_currency_money_is_counted_unread():
    raw = pd.DataFrame({"payment_id": ["P1", "P2"], "paid_date": ["2025-01-01"] * 2,
                        "amount": ["10", "20"], "currency": ["CNY", "贝壳"]})
    res = clean_payments(raw)
    assert res.quarantine["reason"].tolist() == ["unknown_currency"]
    assert res.unread_amounts_in == 1 and res.money_in.to_dict() == {"CNY": 1000}
    assert res.ok


def test_bad_lines_from_reader_are_quarantined_with_line_numbers():
    raw = bills_frame()
    raw.index = pd.Index([0, 1, 3, 4])              # read_table leaves a gap for line 4
    raw.attrs.update(source="bills.csv", bad_lines=[(4, "B9,C9,oops"), (7, "B10,C1,2025-01")])
    res = clean_bills(raw)
    assert res.rows_in == 6
    q = res.quarantine
    assert q[["source_row", "reason"]].values.tolist() == [[3, "malformed_line"],
                                                           [6, "malformed_line"]]
    assert q["raw"].tolist() == ["B9,C9,oops", "B10,C1,2025-01"]
    assert res.source_rows.tolist() == [1, 2, 4, 5]
    assert res.ok


def test_empty_rows_are_quarantined_not_dropped():
    raw = pd.concat([bills_frame(), pd.DataFrame({c: [""] for c in bills_frame().columns})],
                    ignore_index=True)
    res = clean_bills(raw)
    assert res.quarantine["reason"].tolist() == ["empty_row"]
    assert res.quarantine["message"][0].startswith("*:")


def test_columns_missing_is_a_schema_error():
    # issue #7: an absent column is a file problem, not every row 'blank'
    with pytest.raises(SchemaError, match=r"\['due_date'\] not found.*column_map"):
        clean_bills(bills_frame().drop(columns=["due_date"]))


def test_input_not_mutated():
    raw = bills_frame()
    raw.attrs.update(bad_lines=[(9, "x")])
    before = raw.copy()
    cust = pd.DataFrame({"customer_id": ["C1"], "name": [" a "], "kind": ["个人"]})
    cust_before = cust.copy()
    clean_bills(raw, customers=cust)
    clean_customers(cust)
    clean_payments(raw.rename(columns={"bill_id": "payment_id", "issue_date": "paid_date"}))
    pd.testing.assert_frame_equal(raw, before)
    pd.testing.assert_frame_equal(cust, cust_before)
    assert raw.attrs["bad_lines"] == [(9, "x")]


def test_typed_frames_from_the_generator_shape_pass_through():
    typed = pd.DataFrame({
        "bill_id": ["B1"], "invoice_id": ["I1"], "customer_id": ["C1"],
        "issue_date": pd.to_datetime(["2025-01-01"]), "due_date": pd.to_datetime(["2025-02-01"]),
        "amount_minor": pd.Series([12345], dtype="int64"), "currency": ["CNY"],
        "kind": ["instalment"]})
    res = clean_bills(typed)
    pd.testing.assert_frame_equal(res.clean, typed.astype({"bill_id": "str"}),
                                  check_dtype=False)


@pytest.mark.parametrize(("kwargs", "match"), [
    ({"dayfirst": "yes"}, "dayfirst must be True, False or None"),
    ({"default_currency": "rmb"}, "default_currency must be an ISO 4217 code"),
    ({"date_window": ("2025-01-01",)}, "date_window must be two dates"),
    ({"date_window": ("2026-01-01", "2025-01-01")}, "is after its end"),
    ({"as_of": "not a date"}, "as_of must be a date"),
    # the shared rule of creditkit.checks: which day a zoned time means is not guessed
    ({"as_of": pd.Timestamp("2025-06-30 08:00", tz="Asia/Shanghai")},
     "as_of must be timezone-naive"),
    ({"date_window": ("2025-01-01", pd.Timestamp("2025-12-31", tz="UTC"))},
     "date_window must be two dates"),
    ({"decimal": ";"}, "decimal must be"),
    ({"column_map": {"amount": "nonsense"}}, "not a field of bills"),
])
def test_parameter_errors(kwargs, match):
    with pytest.raises(ParameterError, match=match):
        clean_bills(bills_frame(), **kwargs)


def test_as_of_drops_the_time_of_day():
    raw = bills_frame()
    at_noon = clean_bills(raw, as_of=pd.Timestamp("2025-06-30 12:00"))
    by_day = clean_bills(raw, as_of="2025-06-30")
    pd.testing.assert_frame_equal(at_noon.quarantine, by_day.quarantine)


def test_schema_errors():
    with pytest.raises(SchemaError, match="no recognisable bills columns"):
        clean_bills(pd.DataFrame({"foo": [1], "bar": [2]}))
    with pytest.raises(SchemaError, match="column_map names 'nope'"):
        clean_bills(bills_frame(), column_map={"nope": "bill_id"})
    with pytest.raises(ParameterError, match="expected a pandas DataFrame"):
        clean_bills([1, 2])
    with pytest.raises(ParameterError, match="cleaning handles tables"):
        from creditkit.cleaning import recognise_columns
        recognise_columns(bills_frame(), "snapshots")


def test_check_raises_when_bookkeeping_is_broken():
    res = clean_bills(bills_frame())
    broken = CleanResult(table="bills", clean=res.clean.iloc[1:], quarantine=res.quarantine,
                         merged=res.merged, rows_in=res.rows_in, money_in=res.money_in)
    assert not broken.ok
    with pytest.raises(CleaningInvariantError, match=r"rows: in 4, out 3; money CNY: in 217050"):
        broken.check()
    # one class, importable from both paths, caught as any creditkit error
    from creditkit import exceptions
    assert CleaningInvariantError is exceptions.CleaningInvariantError
    assert "CleaningInvariantError" in exceptions.__all__
    with pytest.raises(exceptions.CreditkitError, match=r"cleaning bills lost or invented data"):
        broken.check()


def test_summary_counts():
    raw = bills_frame()
    raw.loc[0, "amount"] = "x"
    s = clean_bills(raw).summary()
    assert s["rows_in"] == 4 and s["rows_clean"] == 3 and s["rows_quarantined"] == 1
    assert s["quarantine_by_reason"] == {"invalid_amount": 1} and s["invariants_ok"]


def test_generator_portfolio_passes_untouched():
    """No false positives: the synthetic portfolio is clean data, so everything passes as is."""
    from creditkit.datasets import make_portfolio

    p = make_portfolio(200, seed=3, kind="mixed")
    cust = clean_customers(p["customers"])
    bills = clean_bills(p["bills"], customers=cust)
    pays = clean_payments(p["payments"], bills=bills, customers=cust)
    for res, name in ((cust, "customers"), (bills, "bills"), (pays, "payments")):
        assert res.quarantine.empty and res.merged.empty, res.quarantine.head()
        assert len(res.clean) == len(p[name])
    assert bills.clean["amount_minor"].sum() == p["bills"]["amount_minor"].sum()
    assert pays.money_in.sum() == p["payments"]["amount_minor"].sum()
    pd.testing.assert_series_equal(bills.clean["due_date"], p["bills"]["due_date"],
                                   check_names=False, check_index=False)
