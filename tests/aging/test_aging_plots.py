"""Figures of creditkit.aging.plots on a small real history."""

from __future__ import annotations

import pandas as pd
import pytest

from creditkit.aging import (
    aging_at_dates,
    collection_metrics,
    flow_rates,
    portfolio_aging,
    roll_rate_matrix,
    roll_rates,
    vintage,
)
from creditkit.aging.plots import (
    aging_chart,
    aging_trend_chart,
    dso_cei_chart,
    flow_rate_chart,
    roll_rate_heatmap,
    vintage_chart,
)
from creditkit.exceptions import ParameterError

DATES = ["2025-01-31", "2025-02-28", "2025-03-31"]


@pytest.fixture
def book(bills_of, payments_of):
    bills = bills_of([
        {"bill_id": "A1", "customer_id": "A", "due_date": "2025-01-15", "amount_minor": 10000},
        {"bill_id": "B1", "customer_id": "B", "due_date": "2025-02-15", "amount_minor": 20000}])
    pays = payments_of([
        {"payment_id": "PA", "customer_id": "A", "paid_date": "2025-03-10",
         "amount_minor": 10000}])
    return bills, pays


def test_figures_plot_the_tables(book):
    bills, pays = book
    port = portfolio_aging(bills, pays, as_of="2025-03-31")
    fig = aging_chart(port, lang="en")
    assert sum(fig.data[0].y) == pytest.approx(200.0)  # yuan, display only
    hist = aging_at_dates(bills, pays, dates=DATES)
    trend = aging_trend_chart(hist, lang="zh")
    assert {t.name for t in trend.data} >= {"M1 (1-30天)"}
    heat = roll_rate_heatmap(roll_rate_matrix(roll_rates(hist)), lang="en")
    assert "New" in list(heat.data[0].y)
    flows = flow_rate_chart(flow_rates(hist), lang="en")
    assert flows.data[0].name == "M0→M1"
    v = vintage_chart(vintage(bills, pays, as_of="2025-03-31"), lang="en")
    assert len(v.data) == 1
    m = dso_cei_chart(collection_metrics(bills, pays, dates=DATES), lang="en")
    assert m.layout.yaxis2.overlaying == "y"


def test_raises():
    with pytest.raises(ParameterError, match="needs column"):
        aging_chart(pd.DataFrame({"x": [1]}))
    with pytest.raises(ParameterError, match="needs a DataFrame"):
        vintage_chart([1])
    with pytest.raises(ParameterError, match="flow_rates"):
        flow_rate_chart(pd.DataFrame({"a": [1]}))
    with pytest.raises(ParameterError, match="needs a DataFrame"):
        roll_rate_heatmap(None)


def test_trend_chart_is_bill_by_bill_like_the_summary(bills_of, payments_of):
    # one customer, bills in M2 and M1 at 03-31: the last bar matches portfolio_aging
    # (bill by bill), not the account bucket (all 300 in M2)
    bills = bills_of([
        {"bill_id": "A1", "due_date": "2025-02-10", "amount_minor": 10000},
        {"bill_id": "A2", "due_date": "2025-03-10", "amount_minor": 20000}])
    pays = payments_of([])
    hist = aging_at_dates(bills, pays, dates=DATES, buckets="m")
    trend = aging_trend_chart(hist, lang="en")
    assert trend.layout.title.text == "Balance by bucket over time"
    last = {t.name: t.y[-1] for t in trend.data if len(t.y)}
    port = portfolio_aging(bills, pays, as_of=DATES[-1], buckets="m").set_index("bucket")
    assert last["M1 (1-30)"] == pytest.approx(port.loc["M1", "outstanding_minor"] / 100)
    assert last["M2 (31-60)"] == pytest.approx(port.loc["M2", "outstanding_minor"] / 100)


def test_flow_chart_labels_and_orders_the_steps():
    idx = pd.Index(pd.to_datetime(["2025-01-31", "2025-02-28"]), name="as_of")
    f = pd.DataFrame({"special_mention→substandard": [0.3, 0.4],
                      "normal→special_mention": [0.1, 0.2]}, index=idx)
    names = [t.name for t in flow_rate_chart(f, lang="en").data]
    assert names == ["Special mention→Substandard", "Normal→Special mention"]
    m = pd.DataFrame({"M0→M1": [0.1, 0.2], "M1→M2": [0.5, 0.6]}, index=idx)
    assert [t.name for t in flow_rate_chart(m, lang="zh").data] == ["M0→M1", "M1→M2"]
