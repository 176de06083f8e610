"""Development samples, the out-of-time split, the per-date summary, reconciled payers."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from creditkit.behaviour import (
    REASONS,
    behaviour_features,
    behaviour_target,
    behaviour_target_at_dates,
    development_sample,
    development_summary,
    feature_names,
    oot_split,
    reconciled_payments,
)
from creditkit.datasets import make_portfolio
from creditkit.exceptions import ParameterError, SchemaError

DATES = ["2024-10-31", "2024-11-30", "2024-12-31"]


@pytest.fixture(scope="module")
def book():
    return make_portfolio(400, seed=21, kind="mixed", end="2025-08-31", truth=True)


@pytest.fixture(scope="module")
def sample(book):
    return development_sample(book, dates=DATES, windows=(3, 6))


def test_stacks_features_and_targets_per_date(book, sample):
    assert list(sample.columns[:2]) == ["as_of", "customer_id"]
    assert set(feature_names((3, 6))) <= set(sample.columns)
    one = sample[sample["as_of"] == pd.Timestamp(DATES[1])].reset_index(drop=True)
    f = behaviour_features(book, as_of=DATES[1], windows=(3, 6))
    t = behaviour_target(book, as_of=DATES[1])
    pd.testing.assert_frame_equal(one[f.columns.drop("as_of")], f.drop(columns="as_of"))
    assert one["reason"].tolist() == t["reason"].tolist()
    assert one["target"].equals(t["target"])


def test_summary_counts_add_up(sample):
    s = development_summary(sample)
    assert s["as_of"].tolist() == [pd.Timestamp(d) for d in DATES]
    assert (s[list(REASONS)].sum(axis=1) == s["n"]).all()
    assert (s["included"] == s["n_in_sample"]).all()
    for _, row in s.iterrows():
        part = sample[(sample["as_of"] == row["as_of"]) & sample["in_sample"]]
        assert row["bads"] == int(part["target"].sum())
        assert row["bad_rate"] == pytest.approx(part["target"].astype(float).mean())


def test_oot_split_by_count_and_by_cutoff(sample):
    dev, oot = oot_split(sample, oot_dates=1)
    assert set(oot["as_of"]) == {pd.Timestamp(DATES[-1])}
    assert len(dev) + len(oot) == len(sample)
    dev2, oot2 = oot_split(sample, oot_dates="2024-10-31")
    assert set(dev2["as_of"]) == {pd.Timestamp(DATES[0])} and len(oot2) == len(sample) - len(dev2)


@pytest.mark.parametrize("k", [0, 3, -1])
def test_oot_split_refuses_an_empty_part(sample, k):
    with pytest.raises(ParameterError, match="oot_dates"):
        oot_split(sample, oot_dates=k)
    with pytest.raises(ParameterError, match="empty"):
        oot_split(sample, oot_dates="2025-01-31")


def test_sample_checks(book):
    with pytest.raises(ParameterError, match="increasing"):
        development_sample(book, dates=["2024-12-31", "2024-11-30"])
    with pytest.raises(ParameterError, match="non-empty"):
        development_sample(book, dates=[])
    with pytest.raises(ParameterError, match="kind"):
        development_sample(book, dates=DATES, kind="X")
    with pytest.raises(ParameterError, match="development_sample"):
        development_summary(pd.DataFrame({"as_of": []}))


def test_reconciled_payments_fill_only_missing_payers(book):
    rec = reconciled_payments(book)
    before, after = book["payments"], rec["payments"]
    known = before["customer_id"].notna()
    assert after.loc[known, "customer_id"].equals(before.loc[known, "customer_id"])
    assert after["customer_id"].isna().sum() < before["customer_id"].isna().sum()
    assert rec["bills"] is book["bills"]
    with pytest.raises(SchemaError, match="truth=True"):
        reconciled_payments({k: v for k, v in book.items() if k != "allocations"})


def test_truth_gives_each_customer_its_latent_risk(book):
    truth = book["truth"]
    assert list(truth.columns) == ["customer_id", "latent_risk"]
    assert truth["customer_id"].tolist() == book["customers"]["customer_id"].tolist()
    assert truth["latent_risk"].dtype == "float64"
    app = book["applications"].merge(truth, on="customer_id").dropna(subset=["target"])
    bad, good = (app.loc[app["target"] == v, "latent_risk"].mean() for v in (1, 0))
    assert bad > good + 0.3  # the latent risk drives the outcome
    assert "truth" not in make_portfolio(20, seed=1)


def test_static_characteristics_join_every_date(book):
    app = book["applications"][["customer_id", "bureau_score"]]
    s = development_sample(book, dates=DATES[:2], windows=(3,), static=app)
    want = app.set_index("customer_id")["bureau_score"].reindex(s["customer_id"]).to_numpy()
    assert np.array_equal(s["bureau_score"].to_numpy(), want, equal_nan=True)
    with pytest.raises(ParameterError, match="repeats"):
        development_sample(book, dates=DATES[:1], static=pd.concat([app, app.head(1)]))
    with pytest.raises(ParameterError, match="customer_id"):
        development_sample(book, dates=DATES[:1], static=app.drop(columns="customer_id"))


# --- the sample from one pass equals the single-date functions --------------------------------
def one_date_at_a_time(book, dates, kind, windows=(3, 6)) -> pd.DataFrame:
    """The reference: behaviour_features ⨝ behaviour_target computed date by date."""
    parts = []
    for d in dates:
        f = behaviour_features(book, as_of=d, windows=windows)
        t = behaviour_target(book, as_of=d, kind=kind)
        parts.append(pd.concat([t[["as_of", "customer_id"]], f.drop(
            columns=["as_of", "customer_id"]), t[["kind", "perf_dpd", "written_off", "target",
                                                 "in_sample", "reason"]]], axis=1))
    return pd.concat(parts, ignore_index=True)


@pytest.mark.parametrize("kind", ["B", "C"])
def test_sample_equals_the_single_date_functions(book, sample, kind):
    got = sample if kind == "B" else development_sample(book, dates=DATES, windows=(3, 6),
                                                          kind="C")
    pd.testing.assert_frame_equal(got, one_date_at_a_time(book, DATES, kind))


def _dates(offsets):
    return sorted({pd.Timestamp("2024-01-01") + pd.Timedelta(days=o) for o in offsets})


@settings(max_examples=20, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 10_000), offsets=st.lists(st.integers(60, 600), min_size=1,
                                                      max_size=4),
       horizon=st.integers(1, 6), kind=st.sampled_from(["B", "C"]))
def test_targets_at_dates_equal_one_call_per_date_on_random_ledgers(make_random_book, seed,
                                                                    offsets, horizon, kind):
    book, dates = make_random_book(seed), _dates(offsets)
    kw = {"kind": kind, "horizon_months": horizon, "data_end": "2025-06-30"}
    if (book["customers"]["open_date"] > dates[0]).all():
        with pytest.raises(ParameterError, match="before every customer"):
            behaviour_target_at_dates(book, dates=dates, **kw)
        return
    want = pd.concat([behaviour_target(book, as_of=d, **kw) for d in dates], ignore_index=True)
    pd.testing.assert_frame_equal(behaviour_target_at_dates(book, dates=dates, **kw), want)


@settings(max_examples=20, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 10_000), offsets=st.lists(st.integers(60, 500), min_size=2,
                                                      max_size=4),
       horizon=st.integers(1, 6), kind=st.sampled_from(["B", "C"]))
def test_targets_at_dates_unchanged_when_rows_after_the_horizon_are_deleted(
        make_random_book, cut_future, seed, offsets, horizon, kind):
    book, dates = make_random_book(seed), _dates(offsets)
    if (book["customers"]["open_date"] > dates[0]).all():
        return
    d = dates[0]
    end = d + pd.DateOffset(months=horizon) if kind == "B" else d + pd.Timedelta(days=30)
    end = end + pd.offsets.MonthEnd(0) if kind == "B" and d.is_month_end else end
    kw = {"kind": kind, "horizon_months": horizon, "data_end": "2026-12-31"}
    full = behaviour_target_at_dates(book, dates=dates, **kw)
    trimmed = behaviour_target_at_dates(cut_future(book, end), dates=[d], **kw)
    pd.testing.assert_frame_equal(full[full["as_of"] == d].reset_index(drop=True), trimmed)


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("kind", ["B", "C"])
def test_targets_at_dates_on_the_ledger_own_days(make_random_book, seed, kind):
    """Dates falling on write-offs, payments and due dates: the boundaries of every rule."""
    book = make_random_book(seed)
    p, b = book["payments"], book["bills"]
    days = pd.concat([p.loc[p["kind"] == "write_off", "paid_date"].head(3),
                      p["paid_date"].head(2), b["due_date"].head(2)])
    first = book["customers"]["open_date"].min()
    dates = sorted({d for d in days if d >= first})
    kw = {"kind": kind, "horizon_months": 2, "data_end": "2025-12-31"}
    want = pd.concat([behaviour_target(book, as_of=d, **kw) for d in dates], ignore_index=True)
    pd.testing.assert_frame_equal(behaviour_target_at_dates(book, dates=dates, **kw), want)
