"""Commentary: the words follow the numbers, in zh and en."""

from __future__ import annotations

import pandas as pd
import pytest

from creditkit.exceptions import ParameterError
from creditkit.review import commentary, share_drivers_from_aging


def kpi(key, previous, value, kind):
    return pd.DataFrame({"value": [value], "previous": [previous], "kind": [kind]},
                        index=pd.Index([key], name="kpi"))


@pytest.mark.parametrize("a, b, en, zh", [
    (0.031, 0.038, "rose from 3.1% to 3.8% (+0.7 pts)", "由3.1%升至3.8%（+0.7个百分点）"),
    (0.038, 0.031, "fell from 3.8% to 3.1% (-0.7 pts)", "由3.8%降至3.1%（-0.7个百分点）"),
    (0.0310, 0.03104, "was unchanged at 3.1%", "持平于3.1%"),
])
def test_share_direction_words(a, b, en, zh):
    assert commentary(kpi("dpd30_share", a, b, "share"), lang="en")[0].endswith(en)
    assert commentary(kpi("dpd30_share", a, b, "share"), lang="zh")[0].endswith(zh)


def test_money_days_and_counts():
    assert commentary(kpi("outstanding_minor", 100000, 90000, "money"), lang="en") == [
        "Outstanding fell from CN¥1,000.00 to CN¥900.00 (-10.0%)"]
    assert commentary(kpi("dso", 41.25, 44.0, "days"), lang="zh") == [
        "应收账款周转天数 (DSO)由41.2天升至44.0天"]
    assert commentary(kpi("new_restrictions", 8, 12, "count"), lang="en") == [
        "Newly restricted customers: 12 this month (8 the month before)"]


def test_driver_clause_names_the_mover_or_says_it_is_spread():
    before = pd.DataFrame({"customer_id": list("ABCD"), "outstanding_minor": [100] * 4,
                           "dpd": [0, 0, 0, 0]})
    one = before.assign(dpd=[40, 0, 0, 0])
    seg = pd.Series({"A": "east", "B": "west", "C": "north", "D": "south"})
    k = kpi("dpd30_share", 0.0, 0.25, "share")
    d = share_drivers_from_aging(before, one, seg)
    assert commentary(k, d, lang="en")[0].endswith(", driven by east (+25.0 pts)")
    spread = share_drivers_from_aging(before, before.assign(dpd=[40, 40, 40, 0]), seg)
    text = commentary(kpi("dpd30_share", 0.0, 0.75, "share"), spread, lang="zh")[0]
    assert "变化分散于各组" in text
    other = share_drivers_from_aging(before, one, seg, measure="dpd90")
    assert "driven" not in commentary(k, other, lang="en")[0]  # explains another share


def test_bad_tables_are_refused():
    with pytest.raises(ParameterError, match="review_kpis"):
        commentary(pd.DataFrame({"value": [1]}))
    with pytest.raises(ParameterError, match="unknown kind"):
        commentary(kpi("x", 1, 2, "weight"))
