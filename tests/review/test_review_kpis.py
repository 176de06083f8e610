"""The review's figures: each equals its owner's calculation at both dates."""

from __future__ import annotations

import pandas as pd
import pytest

from creditkit.aging import bill_aging, collection_metrics
from creditkit.aging.headline import delinquency
from creditkit.datasets import make_portfolio
from creditkit.exceptions import ParameterError, SchemaError
from creditkit.review import previous_month_end, review_kpis


@pytest.fixture(scope="module")
def book():
    return make_portfolio(n_customers=400, start="2024-01-01", end="2025-06-30", seed=3)


def test_figures_equal_aging_and_collection_metrics_at_both_dates(book):
    k = review_kpis(book, as_of="2025-06-30")
    cur = k.attrs["currency"]
    for col, day in (("value", "2025-06-30"), ("previous", "2025-05-31")):
        d = delinquency(bill_aging(book["bills"], book["payments"], as_of=day))
        d = d.loc[d["currency"] == cur].iloc[0]
        assert k.loc["outstanding_minor", col] == int(d["outstanding_minor"])
        assert k.loc["dpd30_share", col] == pytest.approx(float(d["dpd30_share"]))
    b = book["bills"].loc[book["bills"]["currency"] == cur]
    p = book["payments"].loc[book["payments"]["currency"] == cur]
    m = collection_metrics(b, p, dates=["2025-04-30", "2025-05-31", "2025-06-30"])
    assert k.loc["dso", "value"] == pytest.approx(float(m["dso"].iloc[-1]))
    assert k.loc["cei_rate", "previous"] == pytest.approx(float(m["cei"].iloc[0]))
    assert k.loc["dpd30_share", "change"] == pytest.approx(
        k.loc["dpd30_share", "value"] - k.loc["dpd30_share", "previous"])


def test_write_offs_count_only_their_month(book):
    pays = book["payments"].copy()
    extra = pd.DataFrame({"payment_id": ["W1", "W2", "W3"], "customer_id": pays["customer_id"]
                          .iloc[:3].tolist(), "paid_date": pd.to_datetime(
                              ["2025-05-31", "2025-06-01", "2025-06-30"]),
                          "amount_minor": [100, 200, 400], "currency": "CNY",
                          "kind": "write_off"})
    base = review_kpis(book, as_of="2025-06-30", currency="CNY")
    k = review_kpis({**book, "payments": pd.concat([pays, extra], ignore_index=True)},
                    as_of="2025-06-30", currency="CNY")
    assert k.loc["write_offs_minor", "value"] - base.loc["write_offs_minor", "value"] == 600
    assert k.loc["write_offs_minor", "previous"] - base.loc["write_offs_minor", "previous"] == 100


def test_new_restrictions_from_levels_by_date(book):
    lv = lambda ids: pd.DataFrame({"customer_id": ids,  # noqa: E731
                                   "restriction_level": "restricted"})
    levels = {pd.Timestamp("2025-04-30"): lv(["A"]), pd.Timestamp("2025-05-31"): lv(["A", "B"]),
              pd.Timestamp("2025-06-30"): pd.concat([lv(["B", "C", "D"]), pd.DataFrame(
                  {"customer_id": ["E"], "restriction_level": ["none"]})])}
    k = review_kpis(book, as_of="2025-06-30", restrictions=levels)
    assert (k.loc["new_restrictions", "value"], k.loc["new_restrictions", "previous"]) == (2, 1)
    assert review_kpis(book, as_of="2025-06-30").loc["new_restrictions", "value"] is None


def test_dates_and_tables_are_checked(book):
    assert previous_month_end("2024-03-01") == pd.Timestamp("2024-02-29")
    with pytest.raises(ParameterError, match="must be before as_of"):
        review_kpis(book, as_of="2025-06-30", previous="2025-06-30")
    with pytest.raises(SchemaError, match="no 'payments' table"):
        review_kpis({"bills": book["bills"]}, as_of="2025-06-30")
    with pytest.raises(ParameterError, match="mapping of canonical tables"):
        review_kpis(book["bills"], as_of="2025-06-30")
