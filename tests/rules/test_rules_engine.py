"""The rule engine: each operator, missing values, all/any, first and all matches, exact ints."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from creditkit.exceptions import ParameterError
from creditkit.rules import (
    RuleSchema,
    all_matches,
    build_rules,
    first_match,
    rule_masks,
    rules_table,
)

FREE = RuleSchema("test rules", outputs={"out": None})


def _one(cond, frame: pd.DataFrame) -> list[bool]:
    rs = build_rules([{"id": "r", "when": [cond], "out": "x"}], FREE)
    return rule_masks(frame, rs)[:, 0].tolist()


NUM = pd.DataFrame({"v": pd.array([29, 30, 31, None], dtype="Int64")})


@pytest.mark.parametrize(("cond", "expected"), [
    (("v", ">=", 30), [False, True, True, False]),
    (("v", ">", 30), [False, False, True, False]),
    (("v", "<=", 30), [True, True, False, False]),
    (("v", "<", 30), [True, False, False, False]),
    (("v", "==", 30), [False, True, False, False]),
    (("v", "!=", 30), [True, False, True, False]),  # missing is not "not 30": it is unknown
    (("v", "in", "29|31"), [True, False, True, False]),
    (("v", "not in", [29, 31]), [False, True, False, False]),
    (("v", "between", "30|31"), [False, True, True, False]),
    (("v", "is_missing", True), [False, False, False, True]),
    (("v", "is_missing", "false"), [True, True, True, False]),
])
def test_each_operator_on_numbers_with_a_missing_value(cond, expected) -> None:
    assert _one(cond, NUM) == expected


TEXT = pd.DataFrame({"s": pd.array(["retail", "farm", None], dtype="string")})


@pytest.mark.parametrize(("cond", "expected"), [
    (("s", "==", "retail"), [True, False, False]),
    (("s", "!=", "retail"), [False, True, False]),
    (("s", "in", "retail|mining"), [True, False, False]),
    (("s", "not in", ["retail"]), [False, True, False]),
    (("s", "is_missing", None), [False, False, True]),
])
def test_each_operator_on_text(cond, expected) -> None:
    assert _one(cond, TEXT) == expected


def test_flags_compare_with_true_and_false() -> None:
    frame = pd.DataFrame({"f": [True, False]})
    assert _one(("f", "==", "true"), frame) == [True, False]
    assert _one(("f", "!=", True), frame) == [False, True]


def test_integer_minor_units_are_compared_exactly_past_float_precision() -> None:
    big = 2**53 + 1  # not representable as float64: a float compare would call it equal to 2**53
    frame = pd.DataFrame({"m": np.array([2**53, big], dtype=np.int64)})
    assert _one(("m", ">=", big), frame) == [False, True]
    assert _one(("m", "==", str(big)), frame) == [False, True]


def test_numbers_read_as_objects_are_numbers_and_an_all_missing_column_matches_nothing() -> None:
    frame = pd.DataFrame({"v": pd.Series([5, 50], dtype=object), "e": [None, None]})
    assert _one(("v", ">=", 30), frame) == [False, True]
    assert _one(("e", ">=", 1), frame) == [False, False]
    assert _one(("e", "is_missing", True), frame) == [True, True]


def test_all_and_any_and_the_catch_all() -> None:
    frame = pd.DataFrame({"a": [1, 1, 0, 0], "b": [1, 0, 1, 0]})
    rs = build_rules([
        {"id": "both", "match": "all", "when": [("a", "==", 1), ("b", "==", 1)], "out": "both"},
        {"id": "either", "match": "any", "when": [("a", "==", 1), ("b", "==", 1)], "out": "one"},
        {"id": "rest", "out": "none"},
    ], FREE)
    assert rule_masks(frame, rs).tolist() == [[True, True, True], [False, True, True],
                                              [False, True, True], [False, False, True]]
    got = first_match(frame, rs, id_col=None)
    assert got["rule_id"].tolist() == ["both", "either", "either", "rest"]
    assert got["out"].tolist() == ["both", "one", "one", "none"]


def test_first_match_keeps_row_order_values_seen_and_leaves_unmatched_missing() -> None:
    frame = pd.DataFrame({"customer_id": ["c", "a", "b"], "dpd": [0, 45, 10],
                          "u": [0.123456, np.nan, 0.5]})
    rs = build_rules([{"id": "late", "when": [("dpd", ">=", 30), ("u", "is_missing", True)],
                       "out": "late"},
                      {"id": "used", "when": [("u", ">=", 0.1)], "out": "used"}], FREE)
    got = first_match(frame, rs)
    assert got["customer_id"].tolist() == ["c", "a", "b"]
    assert got["rule_id"].tolist() == ["used", "late", "used"]
    assert got["values_seen"].tolist() == ["u=0.1235", "dpd=45; u=NA", "u=0.5"]
    frame2 = frame.assign(u=[0.0, 0.0, 0.0], dpd=[0, 0, 0])
    none = first_match(frame2, rs)
    assert none["rule_id"].isna().all() and none["out"].isna().all()


def test_all_matches_lists_every_rule_that_holds_in_row_then_rule_order() -> None:
    frame = pd.DataFrame({"customer_id": ["x", "y"], "n": [3, 1]})
    rs = build_rules([{"id": "big", "when": [("n", ">=", 3)], "out": "big"},
                      {"id": "any", "when": [("n", ">=", 1)], "out": "some"}], FREE)
    got = all_matches(frame, rs)
    assert got[["customer_id", "rule_id"]].values.tolist() == [["x", "big"], ["x", "any"],
                                                                ["y", "any"]]


def test_templates_fill_each_row() -> None:
    schema = RuleSchema("tags", outputs={"tag": None}, templates=("tag",))
    rs = build_rules([{"id": "ind", "when": [("industry", "is_missing", False)],
                       "tag": "industry:{industry}"}], schema)
    frame = pd.DataFrame({"customer_id": ["a", "b", "c"], "industry": ["retail", None, "farm"]})
    assert all_matches(frame, rs)["tag"].tolist() == ["industry:retail", "industry:farm"]


def test_inputs_are_not_mutated() -> None:
    frame = pd.DataFrame({"customer_id": ["a", "b"], "v": pd.Series([1, 40], dtype=object)})
    before = frame.copy()
    rs = build_rules([{"id": "r", "when": [("v", ">=", 30)], "out": "x"}], FREE)
    first_match(frame, rs)
    all_matches(frame, rs)
    pd.testing.assert_frame_equal(frame, before)


@pytest.mark.parametrize(("frame", "cond", "match"), [
    (pd.DataFrame({"x": [1]}), ("dpd", ">=", 1), r"rule 'r'.*field 'dpd' is not a column.*\['x'\]"),
    (pd.DataFrame({"s": ["a"]}), ("s", ">=", 1), r"rule 'r'.*needs numbers.*compare it with =="),
    (pd.DataFrame({"v": [1]}), ("v", "==", "abc"), r"rule 'r'.*compares numbers.*write numbers"),
    (pd.DataFrame({"f": [True]}), ("f", "==", 1), r"rule 'r'.*yes/no.*true or false"),
])
def test_a_rule_that_does_not_fit_the_frame_names_the_rule_and_the_fix(frame, cond,
                                                                        match) -> None:
    rs = build_rules([{"id": "r", "when": [cond], "out": "x"}], FREE)
    with pytest.raises(ParameterError, match=match):
        first_match(frame, rs, id_col=None)


def test_bad_arguments_are_refused() -> None:
    rs = build_rules([{"id": "r", "out": "x"}], FREE)
    with pytest.raises(ParameterError, match="features must be a pandas DataFrame"):
        first_match([1, 2], rs, id_col=None)
    with pytest.raises(ParameterError, match="rules must be a RuleSet"):
        rule_masks(pd.DataFrame({"a": [1]}), [{"id": "r"}])
    with pytest.raises(ParameterError, match=r"no column 'customer_id'.*id_col="):
        first_match(pd.DataFrame({"a": [1]}), rs)


def test_rules_table_reads_as_words_in_one_language() -> None:
    schema = RuleSchema("t", outputs={"out": None, "description_zh": None,
                                      "description_en": None})
    rs = build_rules([{"id": "r", "match": "any", "when": [("a", "between", [1, 2]),
                                                          ("b", "in", "x|y")],
                       "out": "o", "description_zh": "中", "description_en": "en"},
                      {"id": "rest", "out": "p"}], schema)
    table = rules_table(rs, lang="en")
    assert table["conditions"].tolist() == ["a between 1 and 2 or b in {x, y}", "(always)"]
    assert "description" in table.columns and "description_zh" not in table.columns
    assert table["description"].tolist()[0] == "en"
