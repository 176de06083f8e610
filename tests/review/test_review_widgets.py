"""The driver explorer answers a new dimension or share with the drivers of that split."""

from __future__ import annotations

import pytest

from creditkit.datasets import make_portfolio
from creditkit.exceptions import ParameterError, SchemaError
from creditkit.review import driver_explorer, share_drivers


@pytest.fixture(scope="module")
def book():
    return make_portfolio(n_customers=300, start="2024-06-01", end="2025-06-30", seed=11)


def test_each_choice_shows_the_drivers_share_drivers_gives(book):
    view = driver_explorer(book, as_of="2025-06-30", previous="2025-05-31", lang="zh")
    for dim, measure in (("region", "dpd30"), ("industry", "dpd90"), ("kind", "past_due")):
        view.dimension.value, view.measure.value = dim, measure
        want = share_drivers(book, as_of="2025-06-30", previous="2025-05-31", by=dim,
                             measure=measure)
        got = view.drivers_
        assert got["driver_segment"].tolist() == want["driver_segment"].tolist()
        assert got["contribution"].tolist() == pytest.approx(want["contribution"].tolist())
    assert "ck-table" in view.table.value and "整体" in view.table.value


def test_bad_dimensions_and_dates_are_refused(book):
    with pytest.raises(SchemaError, match="no column 'planet'"):
        driver_explorer(book, as_of="2025-06-30", previous="2025-05-31", dimensions=("planet",))
    with pytest.raises(ParameterError, match="must be before"):
        driver_explorer(book, as_of="2025-05-31", previous="2025-06-30")
    with pytest.raises(ParameterError, match="Series"):
        driver_explorer(book, as_of="2025-06-30", previous="2025-05-31", segments={"x": [1]})
