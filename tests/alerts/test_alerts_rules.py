"""Alert rule files: the shipped default loads; mistakes name the file, line, rule and fix."""

from __future__ import annotations

from pathlib import Path

import pytest

from creditkit.alerts import ALERT_SCHEMA, SEVERITIES, load_alert_rules, severity_rank
from creditkit.exceptions import ParameterError

GOOD = """rules:
  - id: late
    when:
      - [dpd, ">=", 10]
    severity: high
    description_zh: 逾期
    description_en: Past due
    action_zh: 催收
    action_en: Call
"""


def _write(tmp_path: Path, text: str, name: str = "alerts.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_the_shipped_rules_load_with_texts_in_both_languages() -> None:
    rs = load_alert_rules()
    assert len(rs.rules) >= 9
    for rule in rs.rules:
        assert rule.outputs["severity"] in SEVERITIES
        for key in ("description_zh", "description_en", "action_zh", "action_en"):
            assert rule.outputs[key].strip(), (rule.id, key)
    assert severity_rank("info") == 0 and severity_rank("critical") == len(SEVERITIES) - 1


@pytest.mark.parametrize(("old", "new", "match"), [
    ("[dpd, \">=\", 10]", "[dpd_today, \">=\", 10]",
     r"alerts.yaml, line 2 \(rule 'late'\): unknown field 'dpd_today'; valid fields"),
    ("[dpd, \">=\", 10]", "[dpd, \">=\", ten]",
     r"line 2 \(rule 'late'\): threshold 'ten' of dpd >= is not a number; write a plain number"),
    ("severity: high", "severity: urgent",
     r"line 2 \(rule 'late'\): unknown severity 'urgent'; use one of \['info', 'low'"),
    ("severity: high", "severity: high\n    colour: red",
     r"line 2 \(rule 'late'\): unknown key\(s\) \['colour'\]"),
    ("    action_en: Call\n", "",
     r"rule 'late'\): no action_en; every rule of the alert rules sets one"),
])
def test_a_mistake_names_the_line_rule_and_fix(tmp_path: Path, old: str, new: str,
                                               match: str) -> None:
    assert old in GOOD
    with pytest.raises(ParameterError, match=match):
        load_alert_rules(_write(tmp_path, GOOD.replace(old, new)))


def test_a_duplicate_id_names_both_lines(tmp_path: Path) -> None:
    text = GOOD + GOOD.replace("rules:\n", "")
    with pytest.raises(ParameterError, match=r"line 10 \(rule 'late'\): duplicate rule id "
                                             r"'late' \(first on line 2\); .*rename one"):
        load_alert_rules(_write(tmp_path, text))


def test_a_flag_field_takes_true_or_false(tmp_path: Path) -> None:
    text = GOOD.replace('[dpd, ">=", 10]', "[new_channel_30d, \"==\", 3]")
    with pytest.raises(ParameterError, match="must be true or false"):
        load_alert_rules(_write(tmp_path, text))


def test_csv_rules_use_the_same_schema(tmp_path: Path) -> None:
    csv = ("id,match,field,op,value,severity,description_zh,description_en,action_zh,action_en\n"
           "late,,dpd,>=,10,high,逾期,Past due,催收,Call\n"
           "late,,utilisation,>=,abc,,,,,\n")
    with pytest.raises(ParameterError, match=r"alerts.csv, line 3 \(rule 'late'\): threshold "
                                             r"'abc'"):
        load_alert_rules(_write(tmp_path, csv, "alerts.csv"))
    assert ALERT_SCHEMA.kind == "alert rules"
