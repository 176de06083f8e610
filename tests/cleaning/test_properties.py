"""Property tests: on random frames with random corruption, nothing is lost or invented."""

from __future__ import annotations

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from creditkit.cleaning import clean_bills, clean_customers, clean_payments
from creditkit.schema import validate

SETTINGS = settings(max_examples=15, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

# corruptions of an amount cell: (text from the minor value, minor value money_in should see)
AMOUNT_FORMS = [
    (lambda m: f"{m // 100}.{m % 100:02d}", lambda m: m),
    (lambda m: f"¥{m // 100:,}.{m % 100:02d}", lambda m: m),
    (lambda m: f"{m / 100:.2f}元", lambda m: m),
    (lambda m: f"-{m // 100}.{m % 100:02d}", lambda m: -m),
    (lambda m: f"({m // 100}.{m % 100:02d})", lambda m: -m),
    (lambda m: "#N/A", lambda m: None),
    (lambda m: "", lambda m: None),
    (lambda m: "abc", lambda m: None),
    (lambda m: f"{m}.001", lambda m: None),
]
DATE_FORMS = ["2024-03-{d:02d}", "2024/3/{d}", "2024年3月{d}日", "202403{d:02d}", "{d:02d}/03/2024",
              "2024-02-30", "", "#N/A", "soon", "4{d}000"]
KEYS = ["B1", "B2", "B3", "B4", "B5", "", " B1 "]
CHANNELS = ["支付宝", "wechat", "网银", "POS", "代扣", "现金", "比特币", ""]


@st.composite
def raw_rows(draw, key_name: str):
    n = draw(st.integers(0, 25))
    rows, expected = [], []
    for _ in range(n):
        minor = draw(st.integers(0, 10**9))
        text_fn, value_fn = draw(st.sampled_from(AMOUNT_FORMS))
        d1, d2 = draw(st.integers(1, 28)), draw(st.integers(1, 28))
        rows.append({
            key_name: draw(st.sampled_from(KEYS)),
            "customer_id": draw(st.sampled_from(["C1", "C2", "", "#N/A"])),
            "date1": draw(st.sampled_from(DATE_FORMS)).format(d=d1),
            "date2": draw(st.sampled_from(DATE_FORMS)).format(d=d2),
            "amount": text_fn(minor),
            "channel": draw(st.sampled_from(CHANNELS)),
        })
        expected.append(value_fn(minor))
    # exact copies of earlier rows, as exports duplicate them
    for i in draw(st.lists(st.integers(0, max(n - 1, 0)), max_size=5 if n else 0)):
        rows.append(dict(rows[i]))
        expected.append(expected[i])
    return pd.DataFrame(rows, columns=[key_name, "customer_id", "date1", "date2", "amount",
                                       "channel"]), expected


def check(res, df, expected, table):
    validate(res.clean, table)
    res.check()
    parts = pd.concat([res.source_rows, res.quarantine["source_row"], res.merged["source_row"]])
    assert sorted(parts) == list(range(1, len(df) + 1))
    assert res.money_in.sum() == sum(v for v in expected if v is not None)
    # an Excel error (#N/A) is an amount written but unreadable, like "abc"
    assert res.unread_amounts_in == sum(
        v is None and t.strip() != "" for v, t in zip(expected, df["amount"], strict=True))


@SETTINGS
@given(raw_rows("bill_id"), st.sampled_from([None, True, False]))
def test_bills_conserve_rows_and_money(case, dayfirst):
    df, expected = case
    df = df.rename(columns={"date1": "issue_date", "date2": "due_date"}).drop(columns="channel")
    before = df.copy()
    res = clean_bills(df, dayfirst=dayfirst)
    pd.testing.assert_frame_equal(df, before)
    check(res, df, expected, "bills")
    if len(res.clean):
        assert (res.clean["amount_minor"] >= 0).all()
        assert (res.clean["due_date"] >= res.clean["issue_date"]).all()
        assert res.clean["bill_id"].is_unique


@SETTINGS
@given(raw_rows("payment_id"))
def test_payments_conserve_rows_and_money(case):
    df, expected = case
    df = df.rename(columns={"date1": "paid_date"}).drop(columns="date2")
    res = clean_payments(df)
    check(res, df, expected, "payments")
    assert res.clean["channel"].dropna().isin(
        ["bank_transfer", "card", "alipay", "wechat", "auto_debit", "cash"]).all()


@SETTINGS
@given(raw_rows("customer_id"), st.lists(st.sampled_from([(3, "bad line"), (9, "x,y")]),
                                         max_size=2, unique=True))
def test_customers_conserve_rows_money_and_bad_lines(case, bad_lines):
    df, expected = case
    df = df.loc[:, ~df.columns.duplicated()].rename(columns={  # one customer_id column
        "date1": "open_date", "date2": "name", "amount": "credit_limit", "channel": "kind"})
    df["kind"] = df["kind"].map({"支付宝": "个人", "wechat": "企业"}).fillna("")
    df.attrs["bad_lines"] = bad_lines
    res = clean_customers(df)
    res.check()
    assert res.rows_in == len(df) + len(bad_lines)
    assert (res.quarantine["reason"] == "malformed_line").sum() == len(bad_lines)
    assert res.money_in.sum() == sum(v for v in expected if v is not None)
