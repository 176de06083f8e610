"""The vectorised engine agrees with a row-by-row reading of the rules (hypothesis)."""

from __future__ import annotations

import math

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from creditkit.rules import RuleSchema, all_matches, build_rules, first_match

SCHEMA = RuleSchema("property rules", outputs={"out": None},
                    fields={"n": "number", "x": "number", "s": "text"})
NUMBER_OPS = [">=", ">", "<=", "<", "==", "!=", "in", "not in", "between", "is_missing"]
TEXT_OPS = ["==", "!=", "in", "not in", "is_missing"]
WORDS = ["a", "b", "c"]


@st.composite
def conditions(draw):
    field = draw(st.sampled_from(["n", "x", "s"]))
    op = draw(st.sampled_from(TEXT_OPS if field == "s" else NUMBER_OPS))
    if op == "is_missing":
        value = draw(st.booleans())
    elif field == "s":
        value = (draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=2))
                 if op in ("in", "not in") else draw(st.sampled_from(WORDS)))
    else:
        num = st.integers(-3, 3)
        if op == "between":
            lo, hi = sorted([draw(num), draw(num)])
            value = [lo, hi]
        elif op in ("in", "not in"):
            value = draw(st.lists(num, min_size=1, max_size=3))
        else:
            value = draw(num)
    return (field, op, value)


@st.composite
def rule_lists(draw):
    n = draw(st.integers(1, 4))
    return [{"id": f"r{i}", "match": draw(st.sampled_from(["all", "any"])),
             "when": draw(st.lists(conditions(), max_size=3)), "out": f"o{i}"}
            for i in range(n)]


frames = st.lists(st.tuples(st.one_of(st.none(), st.integers(-4, 4)),
                            st.one_of(st.none(), st.floats(-4, 4, allow_nan=False)),
                            st.one_of(st.none(), st.sampled_from(WORDS))),
                  min_size=0, max_size=12)


def _holds(value, op, threshold) -> bool:
    """One condition on one value, read literally (missing satisfies only is_missing)."""
    missing = value is None or (isinstance(value, float) and math.isnan(value))
    if op == "is_missing":
        return missing == threshold
    if missing:
        return False
    return {">=": lambda: value >= threshold, ">": lambda: value > threshold,
            "<=": lambda: value <= threshold, "<": lambda: value < threshold,
            "==": lambda: value == threshold, "!=": lambda: value != threshold,
            "in": lambda: value in threshold, "not in": lambda: value not in threshold,
            "between": lambda: threshold[0] <= value <= threshold[1]}[op]()


def _naive(row: dict, rule) -> bool:
    tests = [_holds(row[c.field], c.op, c.value) for c in rule.conditions]
    if not tests:
        return True
    return all(tests) if rule.match == "all" else any(tests)


@settings(max_examples=150, deadline=None)
@given(rows=frames, rules=rule_lists())
def test_first_and_all_matches_agree_with_a_row_by_row_reading(rows, rules) -> None:
    rs = build_rules(rules, SCHEMA)
    frame = pd.DataFrame({"customer_id": [f"c{i}" for i in range(len(rows))],
                          "n": pd.array([r[0] for r in rows], dtype="Int64"),
                          "x": pd.array([r[1] for r in rows], dtype="Float64").astype("float64"),
                          "s": pd.array([r[2] for r in rows], dtype="string")})
    plain = [{"n": r[0], "x": r[1], "s": r[2]} for r in rows]
    expected_first = [next((r.id for r in rs.rules if _naive(row, r)), None) for row in plain]
    got = first_match(frame, rs)
    assert [None if pd.isna(v) else v for v in got["rule_id"]] == expected_first
    expected_all = [(f"c{i}", r.id) for i, row in enumerate(plain) for r in rs.rules
                    if _naive(row, r)]
    every = all_matches(frame, rs)
    assert list(zip(every["customer_id"], every["rule_id"], strict=True)) == expected_all
    assert (every["out"].astype(str) == "o" + every["rule_id"].astype(str).str[1:]).all()
