"""Alert figures and the threshold widget: traces carry the tables' numbers, words follow lang."""

from __future__ import annotations

import re

import numpy as np
import pytest

from creditkit.alerts import SEVERITIES, backtest_alerts, evaluate_alerts
from creditkit.alerts import plots as ap
from creditkit.alerts.widgets import threshold_explorer
from creditkit.display.widgets import widget_text
from creditkit.exceptions import ParameterError
from creditkit.labels import label

CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def run(small_portfolio):
    return evaluate_alerts(small_portfolio, as_of="2025-06-30", lang="zh")


@pytest.fixture(scope="module")
def bt(small_portfolio):
    return backtest_alerts(small_portfolio, dates=["2025-01-31", "2025-02-28", "2025-03-31"])


def test_severity_chart_counts_every_severity(run) -> None:
    s = run.summary()
    fig = ap.severity_chart(s, lang="zh")
    assert list(fig.data[0].x) == [label(f"severity_{v}", "zh") for v in SEVERITIES]
    assert fig.data[0].y.tolist() == s["new"].tolist()
    assert fig.data[1].y.tolist() == s["open"].tolist()


def test_rule_chart_adds_up_to_the_open_alerts(run) -> None:
    fig = ap.alert_rule_chart(run.open, lang="zh")
    assert sum(sum(t.x) for t in fig.data) == len(run.open)
    for trace in fig.data:  # rules named by their Chinese description
        assert all(CJK.search(name) for name in trace.y)


def test_backtest_and_lead_charts_carry_the_table(bt) -> None:
    rep = bt.report("en")
    fig = ap.backtest_chart(rep, lang="en")
    assert list(fig.data[0].y)[-1] == "All rules"
    assert np.allclose(fig.data[0].x, rep["precision"].fillna(0))
    assert np.allclose(fig.data[1].x, rep["recall"].fillna(0))
    lead = ap.lead_time_chart(rep, lang="zh")
    assert np.allclose(lead.data[0].x, rep["lead_days_median"].fillna(0))
    with pytest.raises(ParameterError, match="needs column"):
        ap.backtest_chart(rep.drop(columns="recall"))


def test_sweep_chart_and_widget(bt) -> None:
    values = [1, 5, 10, 20]
    curve = bt.sweep("dpd_15", values)
    fig = ap.sweep_chart(curve, lang="zh", chosen=10)
    assert sorted(fig.data[0].x) == sorted(curve["alerts_per_1000"])
    view = threshold_explorer(bt, "dpd_15", values, lang="en")
    for v in values:
        view.threshold.value = v
        row = curve.set_index("sweep_value").loc[v]
        assert view.selected_["n_alerts"] == row["n_alerts"]
        assert view.figure_.data[-1].x[0] == row["alerts_per_1000"]
    texts = " ".join(widget_text(view))
    assert not CJK.search(texts)
    zh = threshold_explorer(bt, "dpd_15", values, lang="zh")
    assert zh.threshold.description == label("threshold", "zh")
    with pytest.raises(ParameterError, match="backtest must be"):
        threshold_explorer(curve, "dpd_15", values)
    with pytest.raises(ParameterError, match="unknown severity"):
        ap.severity_text("urgent")
