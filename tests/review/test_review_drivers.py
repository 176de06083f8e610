"""Drivers of a share's change: the parts add up to the change exactly, and name the mover."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from creditkit.datasets import make_portfolio
from creditkit.exceptions import ParameterError, SchemaError
from creditkit.review import share_drivers, share_drivers_from_aging


def aged(rows):
    return pd.DataFrame(rows, columns=["customer_id", "outstanding_minor", "dpd"])


def test_the_segment_that_went_late_drives_the_change():
    before = aged([("A", 100, 0), ("B", 100, 0), ("C", 200, 45)])
    now = aged([("A", 100, 31), ("B", 100, 0), ("C", 200, 45)])
    d = share_drivers_from_aging(before, now, pd.Series({"A": "east", "B": "west"}))
    assert d["driver_segment"].tolist()[0] == "east"
    assert d.set_index("driver_segment")["contribution"].to_dict() == pytest.approx(
        {"east": 0.25, "west": 0.0, "unknown": 0.0})
    assert d.attrs["share"] - d.attrs["share_previous"] == pytest.approx(0.25)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 5), st.integers(0, 10**9), st.integers(-30, 200),
                          st.integers(0, 10**9), st.integers(-30, 200)), min_size=1, max_size=40))
def test_parts_add_up_to_the_change(rows):
    before = aged([(f"C{i}", o0, d0) for i, (_, o0, d0, _, _) in enumerate(rows)])
    now = aged([(f"C{i}", o1, d1) for i, (_, _, _, o1, d1) in enumerate(rows)])
    seg = pd.Series({f"C{i}": f"S{g}" for i, (g, *_r) in enumerate(rows)})
    d = share_drivers_from_aging(before, now, seg, measure="past_due")
    s0, s1 = d.attrs["share_previous"], d.attrs["share"]
    if np.isnan(s0) or np.isnan(s1):
        return
    assert d["contribution"].sum() == pytest.approx(s1 - s0, abs=1e-12)
    assert d["late_minor"].sum() <= d["outstanding_minor"].sum()


def test_on_the_generator_by_region_and_by_a_series():
    book = make_portfolio(n_customers=300, start="2024-06-01", end="2025-06-30", seed=5)
    d = share_drivers(book, as_of="2025-06-30", previous="2025-05-31", by="region")
    assert d["contribution"].sum() == pytest.approx(d.attrs["share"] - d.attrs["share_previous"])
    assert set(d["driver_segment"]) <= set(book["customers"]["region"].dropna()) | {"unknown"}
    kinds = book["customers"].set_index("customer_id")["kind"]
    by_kind = share_drivers(book, as_of="2025-06-30", previous="2025-05-31", by=kinds)
    assert by_kind.attrs["share"] == pytest.approx(d.attrs["share"])
    with pytest.raises(SchemaError, match="no column 'planet'"):
        share_drivers(book, as_of="2025-06-30", previous="2025-05-31", by="planet")
    with pytest.raises(ParameterError, match="must be before"):
        share_drivers(book, as_of="2025-05-31", previous="2025-06-30")
