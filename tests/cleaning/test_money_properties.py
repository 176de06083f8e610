"""Property tests for money through cleaning: no fen lost, nothing silently changed.

Any list of amounts up to the int64 limit, written in the forms the parser
accepts, mixed with any bad strings, either cleans to exactly the amount an
exact ``Decimal`` reading of its text gives, or is quarantined with a reason;
money in = clean + quarantined to the minor unit, summed in Python integers.
"""

from __future__ import annotations

from decimal import Decimal

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from creditkit.cleaning import clean_bills, clean_payments
from creditkit.cleaning.normalize import MAX_AMOUNT_MINOR

SETTINGS = settings(max_examples=25, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
INT64 = 2**63 - 1
FULL_WIDTH = str.maketrans("0123456789.,", "０１２３４５６７８９．，")


def _major(m: int) -> str:
    return f"{abs(m) // 100}.{abs(m) % 100:02d}"


def _grouped(m: int) -> str:
    return f"{abs(m) // 100:,}.{abs(m) % 100:02d}"


#: (how an amount in minor units is written, the sign it reads with)
FORMS = [
    (lambda m: ("-" if m < 0 else "") + _major(m), 1),
    (lambda m: ("-" if m < 0 else "") + _grouped(m), 1),
    (lambda m: ("-¥" if m < 0 else "¥") + _grouped(m), 1),
    (lambda m: ("-" if m < 0 else "") + _major(m) + "元", 1),
    (lambda m: f"({_grouped(m)})" if m > 0 else _major(m), -1),
    (lambda m: ("-" if m < 0 else "") + _major(m).translate(FULL_WIDTH), 1),
    (lambda m: ("-" if m < 0 else "") + str(abs(m) // 100), 0),  # whole yuan
]
BAD = ["abc", "#N/A", "", "#VALUE!", "٣", "١٢.٠٠", "१००", "1.234.5", "inf", "-inf", "1e5",
       "NaN", "12..3", "--5", "1,23", "3.001", "5 6", "\u0663\u0660.00"]


def _exact(text: str) -> int | None:
    """Minor units of ``text`` read with Decimal from what the form wrote (None: not money)."""
    t = text.translate(str.maketrans("０１２３４５６７８９．，", "0123456789.,"))
    neg = t.startswith("-") or t.startswith("(")
    t = t.strip("()-¥元").replace(",", "")
    if not t or not all(c in "0123456789." for c in t) or t.count(".") > 1:
        return None
    v = int(Decimal(t) * 100)
    return -v if neg else v


@st.composite
def amounts(draw):
    n = draw(st.integers(1, 12))
    cells, expected = [], []
    for _ in range(n):
        if draw(st.integers(0, 3)) == 0:
            cells.append(draw(st.sampled_from(BAD)))
            expected.append(None)
            continue
        big = draw(st.booleans())
        m = draw(st.integers(-INT64, INT64) if big else st.integers(-(10**9), 10**9))
        fn, kind = draw(st.sampled_from(FORMS))
        if kind == 0:
            m -= m % 100 if m >= 0 else -((-m) % 100)
        text = fn(m)
        cells.append(text)
        expected.append(_exact(text))
    return cells, expected


def _check(res, key: str, cells: list[str], expected: list[int | None]) -> None:
    keys = [f"K{i}" for i in range(len(cells))]
    want = dict(zip(keys, expected, strict=True))
    clean = dict(zip(res.clean[key], res.clean["amount_minor"], strict=True))
    q = res.quarantine
    quarantined = dict(zip(q["key"], q["amount_minor"], strict=True))
    assert set(clean) | set(quarantined) | set(res.merged["key"]) == set(keys)
    for k, v in clean.items():  # every clean amount is the exact reading of its text
        assert want[k] is not None, (k, cells[keys.index(k)])
        assert int(v) == want[k], (k, cells[keys.index(k)], int(v), want[k])
        assert abs(int(v)) <= MAX_AMOUNT_MINOR
    assert q["reason"].notna().all()
    for k, v in quarantined.items():  # a quarantined amount, when read, is read exactly
        if not pd.isna(v):
            assert int(v) == want[k], (k, cells[keys.index(k)], int(v), want[k])
    for k, w in want.items():  # unreadable or past the limit: never clean
        if w is None or abs(w) > MAX_AMOUNT_MINOR:
            assert k not in clean, (k, cells[keys.index(k)])
    # money in = clean + quarantined, to the minor unit, in Python ints
    total_in = sum(int(v) for v in res.money_in.values)
    total_out = sum(int(v) for v in clean.values()) + sum(
        int(v) for v in quarantined.values() if not pd.isna(v))
    assert total_in == total_out
    assert total_in == sum(w for k, w in want.items()
                           if k in clean or not pd.isna(quarantined.get(k)))
    assert res.ok


@SETTINGS
@given(amounts())
def test_bills_amounts_clean_exactly_or_are_quarantined(data):
    cells, expected = data
    n = len(cells)
    df = pd.DataFrame({"bill_id": [f"K{i}" for i in range(n)], "customer_id": ["C1"] * n,
                       "issue_date": ["2025-01-05"] * n, "due_date": ["2025-02-05"] * n,
                       "amount": cells})
    _check(clean_bills(df), "bill_id", cells, expected)


@SETTINGS
@given(amounts())
def test_payments_amounts_clean_exactly_or_are_quarantined(data):
    cells, expected = data
    n = len(cells)
    df = pd.DataFrame({"payment_id": [f"K{i}" for i in range(n)],
                       "paid_date": ["2025-02-01"] * n, "amount": cells})
    _check(clean_payments(df), "payment_id", cells, expected)


@SETTINGS
@given(st.lists(st.integers(-INT64, INT64), min_size=1, max_size=12))
def test_minor_unit_columns_clean_exactly_or_are_quarantined(values):
    n = len(values)
    cells = [str(v) for v in values]
    df = pd.DataFrame({"bill_id": [f"K{i}" for i in range(n)], "customer_id": ["C1"] * n,
                       "issue_date": ["2025-01-05"] * n, "due_date": ["2025-02-05"] * n,
                       "amount_minor": pd.array(values, dtype="Int64"), "currency": ["CNY"] * n})
    _check(clean_bills(df), "bill_id", cells, list(values))
