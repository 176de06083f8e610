"""Each shipped alert rule fires on a hand-made customer, and not on one just under it."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from creditkit.alerts import evaluate_alerts, load_alert_rules

#: A customer no shipped rule warns about: B card, low pd, current, half the limit used.
BASE = {"customer_id": "c", "dpd": 0, "scorecard": "B", "pd": 0.05, "utilisation": 0.5,
        "utilisation_change_1m": 0.0, "late_streak": 0, "score_drop": np.nan,
        "spend_ratio_1m": 1.0, "spend_1m_minor": 50000, "failed_debits_30d": 0,
        "new_channel_30d": False, "broken_promises": 0}

PAST_DUE = {"dpd": 1, "scorecard": "C", "pd": 0.1}

# rule id -> (changes that fire it, changes just under its threshold)
CASES = {
    "dpd_15": ({"dpd": 15, "scorecard": "C", "pd": 0.1}, {"dpd": 14, "scorecard": "C", "pd": 0.1}),
    "past_due_not_curing": ({**PAST_DUE, "pd": 0.3}, {**PAST_DUE, "pd": 0.2999}),
    "promise_broken": ({**PAST_DUE, "broken_promises": 1}, {**PAST_DUE, "broken_promises": 0}),
    "limit_breach": ({"utilisation": 1.0001}, {"utilisation": 1.0}),
    "late_streak": ({"late_streak": 2, "pd": 0.2}, {"late_streak": 1, "pd": 0.2}),
    "high_pd": ({"pd": 0.25}, {"pd": 0.2499}),
    "failed_auto_debit": ({"failed_debits_30d": 1, "pd": 0.2},
                          {"failed_debits_30d": 1, "pd": 0.1999}),
    "high_utilisation": ({"utilisation": 0.95, "pd": 0.1}, {"utilisation": 0.9499, "pd": 0.1}),
    "utilisation_jump": ({"utilisation_change_1m": 0.3, "pd": 0.1},
                         {"utilisation_change_1m": 0.2999, "pd": 0.1}),
    "score_drop": ({"score_drop": 30.0}, {"score_drop": 29.99}),
    "spend_spike": ({"spend_ratio_1m": 3.0, "spend_1m_minor": 100000, "pd": 0.1},
                    {"spend_ratio_1m": 2.99, "spend_1m_minor": 100000, "pd": 0.1}),
    "new_channel": ({**PAST_DUE, "new_channel_30d": True}, {**PAST_DUE, "new_channel_30d": False}),
}


def _frame(changes: dict) -> pd.DataFrame:
    frame = pd.DataFrame([{**BASE, **changes}])
    for col in ("failed_debits_30d", "broken_promises", "spend_1m_minor"):
        frame[col] = frame[col].astype("Int64")
    return frame


def _rules_raised(changes: dict) -> pd.DataFrame:
    return evaluate_alerts(None, as_of="2025-06-30", features=_frame(changes), lang="en").alerts


def test_every_shipped_alert_rule_has_a_case() -> None:
    assert [r.id for r in load_alert_rules().rules] == list(CASES)


def test_the_quiet_customer_raises_nothing() -> None:
    assert _rules_raised({}).empty


@pytest.mark.parametrize("rule_id", list(CASES))
def test_a_customer_fires_the_rule_and_one_just_under_does_not(rule_id: str) -> None:
    rule = {r.id: r for r in load_alert_rules().rules}[rule_id]
    fires, under = CASES[rule_id]
    got = _rules_raised(fires).set_index("rule_id")
    assert rule_id in got.index
    row = got.loc[rule_id]
    assert row["severity"] == rule.outputs["severity"]
    assert row["action"] == rule.outputs["action_en"]
    assert row["explanation"].startswith(rule.outputs["description_en"])
    assert rule_id not in set(_rules_raised(under)["rule_id"])


def test_a_missing_value_fires_no_rule() -> None:
    # no limit, no score, no promise records: missing, so no rule on them holds
    missing = {"utilisation": np.nan, "utilisation_change_1m": np.nan, "pd": np.nan,
               "scorecard": None, "broken_promises": pd.NA, "failed_debits_30d": pd.NA}
    assert _rules_raised(missing).empty
