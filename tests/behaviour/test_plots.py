"""Behaviour-score figures: traces carry the tables' numbers, labels follow the language."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from creditkit.behaviour import plots as bp
from creditkit.exceptions import ParameterError
from creditkit.labels import label
from creditkit.scoring.stability import psi

CJK = re.compile(r"[\u4e00-\u9fff]")
DATES = pd.to_datetime(["2025-01-31", "2025-02-28", "2025-03-31"])


def summary() -> pd.DataFrame:
    return pd.DataFrame({
        "as_of": DATES[::-1],  # out of order: the chart sorts by date
        "n": [20, 17, 15], "n_in_sample": [12, 10, 9], "bads": [3, 1, 1],
        "bad_rate": [0.25, 0.1, 1 / 9],
        "included": [12, 10, 9], "indeterminate": [5, 4, 3], "already_bad": [3, 3, 3],
        "written_off": [0, 0, 0],
    })


def names(fig) -> list[str]:
    return [t.name for t in fig.data]


def test_sample_chart_stacks_every_reason_with_rows_and_draws_the_bad_rate() -> None:
    fig = bp.sample_chart(summary(), lang="zh")
    # reasons with rows, in the summary's order; written_off has none and is left out
    assert names(fig) == [label("included", "zh"), label("indeterminate", "zh"),
                          label("already_bad", "zh"), label("bad_rate", "zh")]
    assert fig.layout.barmode == "stack"
    assert list(fig.data[0].x) == ["2025-01-31", "2025-02-28", "2025-03-31"]
    assert list(fig.data[0].y) == [9, 10, 12] and list(fig.data[1].y) == [3, 4, 5]
    # every customer known at a date is in exactly one bar segment
    stacked = np.sum([t.y for t in fig.data[:-1]], axis=0)
    assert list(stacked) == [15, 17, 20]
    assert fig.data[-1].yaxis == "y2" and fig.data[-1].y[-1] == pytest.approx(0.25)
    assert fig.layout.yaxis2.tickformat == ".0%"
    en = bp.sample_chart(summary(), lang="en")
    assert names(en)[0] == "Included" and not any(CJK.search(n) for n in names(en))
    assert en.layout.xaxis.title.text == label("as_of", "en")


def test_sample_chart_of_a_real_development_summary() -> None:
    from creditkit.behaviour import development_sample, development_summary
    from creditkit.datasets import make_portfolio

    book = make_portfolio(400, seed=3, kind="mixed", start="2024-01-01", end="2025-06-30")
    sample = development_sample(book, dates=["2024-10-31", "2024-11-30"], windows=(3, 6))
    s = development_summary(sample)
    fig = bp.sample_chart(s, lang="en")
    stacked = np.sum([t.y for t in fig.data[:-1]], axis=0)
    assert list(stacked) == s.sort_values("as_of")["n"].tolist()  # nothing dropped
    assert list(fig.data[-1].y) == pytest.approx(s.sort_values("as_of")["bad_rate"].tolist())


def test_performance_chart_drops_the_pooled_row_and_shades_out_of_time_dates() -> None:
    perf = pd.DataFrame({"as_of": [*DATES, pd.NaT], "n": [10, 10, 10, 30],
                         "auc": [0.8, 0.79, 0.7, 0.76], "ks": [0.5, 0.45, 0.4, 0.44]})
    fig = bp.performance_chart(perf, oot_from="2025-02-15", lang="zh")
    assert names(fig) == ["AUC", "KS"]
    assert list(fig.data[0].y) == [0.8, 0.79, 0.7]  # the pooled row (as_of missing) left out
    shade = fig.layout.shapes[0]
    assert (shade.x0, shade.x1) == (0.5, 2.5)  # the last two categories
    assert fig.layout.annotations[0].text == label("oot_dates", "zh") == "跨时间验证观察点"
    assert not bp.performance_chart(perf, lang="en").layout.shapes


def test_score_shift_chart_shows_both_samples_and_their_psi() -> None:
    rng = np.random.default_rng(0)
    base, recent = rng.normal(600, 40, 2000), rng.normal(620, 40, 1500)
    fig = bp.score_shift_chart(base, recent, bands=10, lang="zh")
    assert names(fig) == [label("development", "zh"), label("recent", "zh")]
    assert len(fig.data[0].x) == 2000 and len(fig.data[1].x) == 1500
    assert fig.data[0].histnorm == "probability"
    assert fig.layout.title.text == f"PSI {psi(base, recent, bands=10):.3f}"
    assert float(fig.layout.title.text.split()[1]) > 0.1  # a 20-point shift is visible
    assert bp.score_shift_chart(base, recent, title="T").layout.title.text == "T"


def test_customer_history_chart_has_one_panel_per_series_money_in_major_units() -> None:
    h = pd.DataFrame({"as_of": DATES, "points": [610.0, 590.0, 560.0],
                      "worst_dpd_3m": [0, 5, 35], "outstanding_minor": [12345, 0, 99900]})
    fig = bp.customer_history_chart(h, features=["worst_dpd_3m", "outstanding_minor"], lang="zh")
    assert names(fig) == [label("points", "zh"), label("worst_dpd_3m", "zh"),
                          label("outstanding_minor", "zh")]
    assert [a.text for a in fig.layout.annotations] == names(fig)  # panel titles
    assert list(fig.data[2].y) == [123.45, 0.0, 999.0]
    assert fig.data[2].hovertext[0] == "¥123.45"
    assert {t.yaxis for t in fig.data} == {"y", "y2", "y3"}
    en = bp.customer_history_chart(h, features="worst_dpd_3m", lang="en")
    assert names(en) == ["Points", "Worst dpd, last 3 months"]


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: bp.sample_chart(summary(), lang="fr"), "lang must be one of"),
        (lambda: bp.sample_chart(summary().drop(columns="bad_rate")), r"\['bad_rate'\] not in"),
        (lambda: bp.sample_chart(summary()[["as_of", "n", "bad_rate"]]), "no count column"),
        (lambda: bp.sample_chart([1, 2]), "expected a DataFrame"),
        (lambda: bp.performance_chart(pd.DataFrame({"as_of": DATES})), r"\['auc', 'ks'\]"),
        (lambda: bp.performance_chart(pd.DataFrame({"as_of": DATES, "auc": 0.7, "ks": 0.3}),
                                      oot_from="2025-13-01"), "oot_from"),
        (lambda: bp.score_shift_chart([], [1.0]), "needs scores in both samples"),
        (lambda: bp.score_shift_chart([1.0], [1.0], nbins=0), "nbins must be"),
        (lambda: bp.customer_history_chart(pd.DataFrame({"as_of": DATES, "points": 1.0}),
                                           features=[]), "at least one feature"),
        (lambda: bp.customer_history_chart(pd.DataFrame({"as_of": DATES, "points": 1.0}),
                                           features=["dpd"]), r"\['dpd'\] not in"),
    ],
)
def test_errors_name_the_problem(call, match) -> None:
    with pytest.raises(ParameterError, match=match):
        call()
