"""evaluate_alerts: raised once, kept open while the rule holds, closed when it stops."""

from __future__ import annotations

import pandas as pd
import pytest

from creditkit.alerts import SEVERITIES, AlertState, evaluate_alerts, load_alert_rules
from creditkit.exceptions import ParameterError

RULES = [
    {"id": "late", "when": [["dpd", ">=", 10]], "severity": "high",
     "description_zh": "逾期10天及以上", "description_en": "10 days or more past due",
     "action_zh": "电话催收", "action_en": "Call"},
    {"id": "full", "when": [["utilisation", ">=", 0.9], ["pd", ">=", 0.1]], "severity": "low",
     "description_zh": "额度将满且风险高", "description_en": "Limit nearly used, risky",
     "action_zh": "暂缓提额", "action_en": "Hold increases"},
]


def _f(dpd: list[int], util: list[float], pd_: list[float] | None = None) -> pd.DataFrame:
    n = len(dpd)
    return pd.DataFrame({"customer_id": [f"c{i}" for i in range(n)], "dpd": dpd,
                         "utilisation": util, "pd": pd_ if pd_ is not None else [0.2] * n})


def test_raised_once_then_open_then_closed() -> None:
    r1 = evaluate_alerts(None, RULES, as_of="2025-04-30", features=_f([12, 0], [0.5, 0.95]))
    assert sorted(zip(r1.alerts["customer_id"], r1.alerts["rule_id"], strict=True)) == [
        ("c0", "late"), ("c1", "full")]
    assert r1.alerts["new"].all() and (r1.alerts["opened"] == "2025-04-30").all()
    # a month later: c0 still late (not raised again), c1 paid down (closed), c1 now late (new)
    r2 = evaluate_alerts(None, RULES, as_of="2025-05-31", features=_f([40, 10], [0.5, 0.3]),
                         state=r1.state)
    assert r2.alerts[["customer_id", "rule_id"]].values.tolist() == [["c1", "late"]]
    assert r2.open[["customer_id", "rule_id"]].values.tolist() == [["c0", "late"],
                                                                    ["c1", "late"]]
    kept = r2.open.set_index("customer_id").loc["c0"]
    assert kept["opened"] == pd.Timestamp("2025-04-30") and not kept["new"]
    assert r2.closed[["customer_id", "rule_id"]].values.tolist() == [["c1", "full"]]
    assert (r2.closed["closed_on"] == pd.Timestamp("2025-05-31")).all()
    # back above the threshold after closing: raised again, as a new alert
    r3 = evaluate_alerts(None, RULES, as_of="2025-06-30", features=_f([40, 10], [0.5, 0.95]),
                         state=r2.state)
    assert r3.alerts[["customer_id", "rule_id"]].values.tolist() == [["c1", "full"]]


def test_just_under_the_threshold_raises_nothing() -> None:
    run = evaluate_alerts(None, RULES, as_of="2025-04-30",
                          features=_f([9, 0, 0], [0.5, 0.8999, 0.95], [0.2, 0.2, 0.0999]))
    assert run.alerts.empty and run.open.empty


def test_texts_in_the_report_language() -> None:
    f = _f([12], [0.5])
    zh = evaluate_alerts(None, RULES, as_of="2025-04-30", features=f, lang="zh").alerts.iloc[0]
    en = evaluate_alerts(None, RULES, as_of="2025-04-30", features=f, lang="en").alerts.iloc[0]
    assert zh["explanation"] == "逾期10天及以上：逾期天数 12（触发条件：逾期天数 ≥ 10）"
    assert en["explanation"] == ("10 days or more past due: Days past due 12 "
                                 "(rule: Days past due ≥ 10)")
    assert (zh["action"], en["action"]) == ("电话催收", "Call")
    assert (en["observed_value"], en["threshold_value"]) == (12.0, 10.0)


def test_most_severe_first_and_summary_lists_every_severity() -> None:
    run = evaluate_alerts(None, RULES, as_of="2025-04-30", features=_f([0, 12], [0.95, 0.5]))
    assert run.alerts["severity"].tolist() == ["high", "low"]
    summary = run.summary()
    assert summary["severity"].tolist() == list(SEVERITIES)
    assert summary["new"].sum() == 2 == summary["open"].sum()


def test_a_removed_customer_closes_its_alerts_and_inputs_are_not_mutated() -> None:
    f = _f([12, 12], [0.5, 0.5])
    before = f.copy()
    r1 = evaluate_alerts(None, RULES, as_of="2025-04-30", features=f)
    pd.testing.assert_frame_equal(f, before)
    r2 = evaluate_alerts(None, RULES, as_of="2025-05-31", features=f.iloc[:1], state=r1.state)
    assert r2.closed["customer_id"].tolist() == ["c1"]


def test_bad_state_and_features_are_refused() -> None:
    f = _f([12], [0.5])
    r = evaluate_alerts(None, RULES, as_of="2025-04-30", features=f)
    with pytest.raises(ParameterError, match="evaluate dates in order"):
        evaluate_alerts(None, RULES, as_of="2025-03-31", features=f, state=r.state)
    with pytest.raises(ParameterError, match="state must be the AlertState"):
        evaluate_alerts(None, RULES, as_of="2025-04-30", features=f, state={"open": []})
    with pytest.raises(ParameterError, match="repeat customer"):
        evaluate_alerts(None, RULES, as_of="2025-04-30", features=pd.concat([f, f]))
    with pytest.raises(ParameterError, match="field 'utilisation' is not a column"):
        evaluate_alerts(None, RULES, as_of="2025-04-30", features=f.drop(columns="utilisation"))
    with pytest.raises(ParameterError, match="tables must be the dict"):
        evaluate_alerts(None, RULES, as_of="2025-04-30")
    with pytest.raises(ParameterError, match="lang"):
        evaluate_alerts(None, RULES, as_of="2025-04-30", features=f, lang="fr")
    assert AlertState().as_of is None


def test_on_a_portfolio_with_the_shipped_rules(small_portfolio) -> None:
    r1 = evaluate_alerts(small_portfolio, as_of="2025-05-31")
    r2 = evaluate_alerts(small_portfolio, as_of="2025-06-30", state=r1.state)
    ids = {r.id for r in load_alert_rules().rules}
    assert set(r2.open["rule_id"]) <= ids
    # nothing open at the first date is raised again at the second
    again = r2.alerts.merge(r1.open, on=["customer_id", "rule_id"])
    assert again.empty
    # every open alert either continues or is new; closed ones are no longer open
    assert len(r2.open) == len(r2.alerts) + int((~r2.open["new"]).sum())
    assert r2.closed.merge(r2.open, on=["customer_id", "rule_id"]).empty
    assert r2.features["score_drop"].notna().any()  # the second run knows the first's scores


def test_yes_no_in_the_report_language() -> None:
    rules = [{"id": "moved", "when": [["new_channel_30d", "==", True]], "severity": "low",
              "description_zh": "换渠道", "description_en": "Moved channel",
              "action_zh": "核实", "action_en": "Check"}]
    f = pd.DataFrame({"customer_id": ["a"], "new_channel_30d": [True]})
    zh = evaluate_alerts(None, rules, as_of="2025-04-30", features=f, lang="zh").alerts.iloc[0]
    en = evaluate_alerts(None, rules, as_of="2025-04-30", features=f, lang="en").alerts.iloc[0]
    assert zh["explanation"] == ("换渠道：近30天使用新还款渠道 是"
                                 "（触发条件：近30天使用新还款渠道 = 是）")
    assert en["threshold"] == "New payment channel, last 30 days = Yes"


def test_a_missing_value_an_any_rule_saw_reads_as_a_dash() -> None:
    rules = [{"id": "either", "match": "any",
              "when": [["dpd", ">=", 10], ["utilisation", ">=", 0.9]], "severity": "low",
              "description_zh": "任一", "description_en": "Either",
              "action_zh": "核实", "action_en": "Check"}]
    f = pd.DataFrame({"customer_id": ["a"], "dpd": [12], "utilisation": [float("nan")]})
    got = evaluate_alerts(None, rules, as_of="2025-04-30", features=f, lang="en").alerts.iloc[0]
    assert got["observed"] == "Days past due 12; Limit utilisation —"
    assert got["threshold"] == "Days past due ≥ 10 or Limit utilisation ≥ 0.9"
