"""Tags: each shipped tag rule fires on a hand-made customer, not just under; counts, overlaps."""

from __future__ import annotations

import pandas as pd
import pytest

from creditkit.exceptions import ParameterError
from creditkit.segmentation import assign_tags, load_tag_rules, tag_counts, tag_overlaps

BASE = {"customer_id": "c", "months_on_book": 24, "utilisation": 0.3, "auto_debit_share": 0.0,
        "n_channels": 1, "industry": None, "region": None}

# rule id -> (changes that fire it, the tag, changes just under)
CASES = {
    "new_customer": ({"months_on_book": 5}, "new_customer", {"months_on_book": 6}),
    "high_utilization": ({"utilisation": 0.8}, "high_utilization", {"utilisation": 0.7999}),
    "auto_debit_user": ({"auto_debit_share": 0.5}, "auto_debit_user",
                        {"auto_debit_share": 0.4999}),
    "multi_channel_payer": ({"n_channels": 2}, "multi_channel_payer", {"n_channels": 1}),
    "industry": ({"industry": "retail"}, "industry:retail", {"industry": None}),
    "region": ({"region": "广东"}, "region:广东", {"region": None}),
}


def _frame(changes: dict) -> pd.DataFrame:
    return pd.DataFrame([{**BASE, **changes}]).astype({"industry": "string",
                                                       "region": "string"})


def test_every_shipped_tag_rule_has_a_case() -> None:
    assert [r.id for r in load_tag_rules().rules] == list(CASES)


def test_the_base_customer_has_no_tag() -> None:
    assert assign_tags(_frame({})).empty


@pytest.mark.parametrize("rule_id", list(CASES))
def test_a_customer_gets_the_tag_and_one_just_under_does_not(rule_id: str) -> None:
    fires, tag, under = CASES[rule_id]
    got = assign_tags(_frame(fires))
    assert got[["rule_id", "tag"]].values.tolist() == [[rule_id, tag]]
    assert assign_tags(_frame(under)).empty


def test_tags_are_not_exclusive_and_counts_and_overlaps_add_up(features_two_dates) -> None:
    feats = features_two_dates["2025-06-30"]
    tags = assign_tags(feats)
    assert set(tags["customer_id"]) <= set(feats["customer_id"])
    assert not tags.duplicated(["customer_id", "tag"]).any()
    counts = tag_counts(tags, customers=feats)
    by_tag = tags.groupby("tag")["customer_id"].nunique()
    assert dict(zip(counts["tag"], counts["customers"], strict=True)) == by_tag.to_dict()
    assert counts["share"].between(0, 1).all()
    # every customer on file has an industry and a region in the generator
    assert counts.set_index("tag")["customers"].filter(like="region:").sum() == len(feats)
    over = tag_overlaps(tags, only=["new_customer", "auto_debit_user"])
    both = set(tags.loc[tags["tag"] == "new_customer", "customer_id"]) & set(
        tags.loc[tags["tag"] == "auto_debit_user", "customer_id"])
    assert over.loc["new_customer", "auto_debit_user"] == len(both)
    assert over.loc["new_customer", "new_customer"] == by_tag["new_customer"]
    assert (over.to_numpy() == over.to_numpy().T).all()


def test_bad_inputs_are_refused() -> None:
    with pytest.raises(ParameterError, match="a customer_id column"):
        assign_tags(pd.DataFrame({"x": [1]}))
    with pytest.raises(ParameterError, match="customer_id and tag"):
        tag_counts(pd.DataFrame({"x": [1]}))
    with pytest.raises(ParameterError, match="a count or the features frame"):
        tag_counts(pd.DataFrame({"customer_id": ["a"], "tag": ["t"]}), customers="all")
    with pytest.raises(ParameterError, match=r"tag\(s\) \['nope'\] are on no customer"):
        tag_overlaps(pd.DataFrame({"customer_id": ["a"], "tag": ["t"]}), only=["nope"])
