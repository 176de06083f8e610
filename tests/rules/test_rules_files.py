"""Rule files: CSV and YAML read the same; every mistake names the file, line, rule and fix."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from creditkit.exceptions import DataReadError, ParameterError
from creditkit.rules import RuleSchema, RuleSet, build_rules, load_rules

#: An alert-like schema: the engine must refuse an unknown severity for alerts (#9 item 5).
ALERTS = RuleSchema("alert rules",
                    outputs={"severity": ("info", "warning", "critical"), "action": None,
                             "description_zh": None, "description_en": None},
                    required=("severity",),
                    fields={"dpd": "number", "utilisation": "number", "industry": "text",
                            "has_write_off": "flag"})
TIERS = RuleSchema("tier rules", outputs={"tier": ("prime", "standard")}, required=("tier",),
                   fields={"dpd": "number", "pd": "number"}, catch_all_last=True)

GOOD_CSV = """id,match,field,op,value,severity,action,description_zh,description_en
late,,dpd,>=,30,warning,call,逾期30天,30 days late
busy,any,utilisation,between,0.8|1,info,review,,
busy,,industry,in,mining|oil,,,,
"""

GOOD_YAML = """rules:
  - id: late
    when:
      - [dpd, ">=", 30]
    severity: warning
    action: call
    description_zh: 逾期30天
    description_en: 30 days late
  - id: busy
    match: any
    when:
      - {field: utilisation, op: between, value: [0.8, 1]}
      - {field: industry, op: in, value: [mining, oil]}
    severity: info
    action: review
"""


def _write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding=encoding)
    return path


def _summary(rs: RuleSet) -> list:
    return [(r.id, r.match, [(c.field, c.op, c.value) for c in r.conditions],
             {k: v for k, v in r.outputs.items() if not k.startswith("description")})
            for r in rs.rules]


def test_csv_yaml_and_python_give_the_same_rules(tmp_path: Path) -> None:
    from_csv = load_rules(_write(tmp_path, "a.csv", GOOD_CSV), ALERTS)
    from_yaml = load_rules(_write(tmp_path, "a.yaml", GOOD_YAML), ALERTS)
    from_list = load_rules([{"id": "late", "when": [["dpd", ">=", 30]], "severity": "warning",
                             "action": "call"},
                            {"id": "busy", "match": "any", "severity": "info", "action": "review",
                             "when": [("utilisation", "between", (0.8, 1)),
                                      ("industry", "in", ["mining", "oil"])]}], ALERTS)
    expected = [("late", "all", [("dpd", ">=", 30)], {"severity": "warning", "action": "call"}),
                ("busy", "any", [("utilisation", "between", (0.8, 1)),
                                 ("industry", "in", ("mining", "oil"))],
                 {"severity": "info", "action": "review"})]
    assert _summary(from_csv) == _summary(from_yaml) == _summary(from_list) == expected
    assert from_csv.rules[0].outputs["description_zh"] == "逾期30天"
    assert from_csv.source == "a.csv" and from_csv.rules[1].line == 3


def test_a_gb18030_csv_from_excel_is_read(tmp_path: Path) -> None:
    path = _write(tmp_path, "gbk.csv", GOOD_CSV, encoding="gb18030")
    assert load_rules(path, ALERTS).rules[0].outputs["description_zh"] == "逾期30天"


def test_a_ruleset_passes_through_and_one_of_another_kind_is_refused() -> None:
    rs = build_rules([{"id": "a", "severity": "info"}], ALERTS)
    assert load_rules(rs, ALERTS) is rs
    with pytest.raises(ParameterError, match="these are alert rules, not tier rules"):
        load_rules(rs, TIERS)


BAD_CSV = [
    # unknown field: the valid ones are listed
    ("id,field,op,value,severity\nlate,dpdd,>=,30,warning\n",
     r"bad\.csv, line 2 \(rule 'late'\): unknown field 'dpdd'; valid fields: \['dpd', "),
    # bad threshold type
    ("id,field,op,value,severity\nlate,dpd,>=,thirty,warning\n",
     r"bad\.csv, line 2 \(rule 'late'\): threshold 'thirty' of dpd >= is not a number; "
     r"write a plain number"),
    ("id,field,op,value,severity\nlate,dpd,>=,30%,warning\n",
     r"line 2 \(rule 'late'\).*not a number.*no unit, no %"),
    ("id,field,op,value,severity\nind,industry,>=,3,warning\n",
     r"line 2 \(rule 'ind'\): field 'industry' holds text, op '>=' needs a number field"),
    ("id,field,op,value,severity\nlate,dpd,==,abc,warning\n",
     r"line 2 \(rule 'late'\): threshold 'abc' of dpd == is not a number"),
    ("id,field,op,value,severity\nw,has_write_off,==,1,warning\n",
     r"line 2 \(rule 'w'\).*must be true or false"),
    ("id,field,op,value,severity\nb,dpd,between,30|1,warning\n",
     r"line 2 \(rule 'b'\).*two numbers lo\|hi with lo <= hi"),
    ("id,field,op,value,severity\nb,dpd,>=,,warning\n",
     r"line 2 \(rule 'b'\).*has no threshold"),
    # duplicate id (not on consecutive lines: those are one rule)
    ("id,field,op,value,severity\nlate,dpd,>=,30,warning\nbusy,utilisation,>=,0.8,info\n"
     "late,dpd,>=,60,critical\n",
     r"line 4 \(rule 'late'\): duplicate rule id 'late' \(first on line 2\).*rename one"),
    # unknown severity
    ("id,field,op,value,severity\nlate,dpd,>=,30,urgent\n",
     r"line 2 \(rule 'late'\): unknown severity 'urgent'; use one of "
     r"\['info', 'warning', 'critical'\]"),
    ("id,field,op,value,severity\nlate,dpd,>=,30,\n",
     r"line 2 \(rule 'late'\): no severity; every rule of the alert rules sets one"),
    # unknown op, match, column; missing id; conflicting outputs
    ("id,field,op,value,severity\nlate,dpd,=>,30,warning\n",
     r"line 2 \(rule 'late'\): unknown op '=>'.*use one of \['>=', "),
    ("id,match,field,op,value,severity\nlate,every,dpd,>=,30,warning\n",
     r"line 2 \(rule 'late'\): unknown match 'every'; use 'all'"),
    ("id,field,op,value,severity,colour\nlate,dpd,>=,30,warning,red\n",
     r"bad\.csv, line 1: unknown column\(s\) \['colour'\]; the columns of alert rules are"),
    ("field,op,value,severity\ndpd,>=,30,warning\n", r"line 1: no id column"),
    ("id,field,op,value,severity\n,dpd,>=,30,warning\n", r"line 2: no id"),
    ("id,field,op,value,severity\nlate,dpd,>=,30,warning\nlate,utilisation,>=,1,critical\n",
     r"line 3 \(rule 'late'\): severity 'critical' differs from 'warning' on line 2"),
    # empty rule set
    ("id,field,op,value,severity\n", r"bad\.csv: the alert rules are empty; give at least one"),
]


@pytest.mark.parametrize(("text", "match"), BAD_CSV)
def test_a_bad_csv_names_the_file_line_rule_and_fix(tmp_path: Path, text: str, match: str) -> None:
    with pytest.raises(ParameterError, match=match):
        load_rules(_write(tmp_path, "bad.csv", text), ALERTS)


def test_tier_rules_need_a_known_tier_and_a_catch_all_last(tmp_path: Path) -> None:
    with pytest.raises(ParameterError, match=r"line 2 \(rule 'a'\): unknown tier 'gold'"):
        load_rules(_write(tmp_path, "t.csv", "id,field,op,value,tier\na,dpd,>=,1,gold\n"), TIERS)
    with pytest.raises(ParameterError, match=r"line 2 \(rule 'a'\): the last of the tier rules "
                                             r"must be a catch-all.*add one at the end"):
        load_rules(_write(tmp_path, "t.csv", "id,field,op,value,tier\na,dpd,>=,1,prime\n"), TIERS)


BAD_YAML = [
    ("rules:\n  - id: a\n    when:\n      - {field: dpdd, op: '>=', value: 3}\n"
     "    severity: info\n", r"y\.yaml, line 4 \(rule 'a'\): unknown field 'dpdd'"),
    ("rules:\n  - id: a\n    when: [[dpd, '>=', 'ten']]\n    severity: info\n",
     r"y\.yaml, line 2 \(rule 'a'\): threshold 'ten' of dpd >= is not a number"),
    ("rules:\n  - id: a\n    severity: info\n  - id: a\n    severity: info\n",
     r"y\.yaml, line 4 \(rule 'a'\): duplicate rule id 'a' \(first on line 2\)"),
    ("rules:\n  - id: a\n    severity: high\n",
     r"y\.yaml, line 2 \(rule 'a'\): unknown severity 'high'"),
    ("rules:\n  - id: a\n    severty: info\n",
     r"line 2 \(rule 'a'\): unknown key\(s\) \['severty'\]"),
    ("rules:\n  - id: a\n    when: [{field: dpd, op: '>=', valeu: 3}]\n    severity: info\n",
     r"line 3 \(rule 'a'\): a condition has unknown key\(s\) \['valeu'\]"),
    ("rules:\n  - id: a\n    when: [dpd]\n    severity: info\n",
     r"line 2 \(rule 'a'\): condition 'dpd' is neither"),
    ("rules: []\n", r"y\.yaml: the alert rules are empty"),
    ("severity: info\n", r"no 'rules:' key"),
    ("rules:\n  - id: a\n    tag: x{industry\n    severity: info\n", r"unknown key"),
]


@pytest.mark.parametrize(("text", "match"), BAD_YAML)
def test_a_bad_yaml_names_the_line_rule_and_fix(tmp_path: Path, text: str, match: str) -> None:
    with pytest.raises(ParameterError, match=match):
        load_rules(_write(tmp_path, "y.yaml", text), ALERTS)


@pytest.mark.parametrize(("name", "text", "match"), [
    ("gone.csv", None, r"does not exist.*working directory"),
    ("rules.txt", "x", r"neither \.csv nor \.yaml"),
    ("empty.csv", "", r"empty.*header line"),
    ("empty.yaml", "", r"empty; write 'rules:'"),
    ("broken.yaml", "rules: [\n  - id: a\n", r"not valid YAML"),
])
def test_unreadable_files_are_data_read_errors(tmp_path: Path, name, text, match) -> None:
    path = tmp_path / name if text is None else _write(tmp_path, name, text)
    with pytest.raises(DataReadError, match=match):
        load_rules(path, ALERTS)


def test_other_sources_are_refused_with_the_accepted_kinds() -> None:
    with pytest.raises(ParameterError, match=r"must be a \.csv/\.yaml file, a DataFrame or a list"):
        load_rules(42, ALERTS)
    with pytest.raises(ParameterError, match="needs the key 'rules'"):
        load_rules({"rule": []}, ALERTS)
    with pytest.raises(ParameterError, match="every rule is a mapping"):
        load_rules(["late"], ALERTS)


def test_templates_only_where_allowed_and_only_on_known_fields() -> None:
    tags = RuleSchema("tag rules", outputs={"tag": None}, fields={"industry": "text"},
                      templates=("tag",))
    with pytest.raises(ParameterError, match=r"rule 'a'.*names unknown field 'sector'"):
        build_rules([{"id": "a", "tag": "x:{sector}"}], tags)
    with pytest.raises(ParameterError, match=r"rule 'a'.*action is fixed text; remove the braces"):
        build_rules([{"id": "a", "severity": "info", "action": "{dpd}"}], ALERTS)


def test_blank_csv_lines_between_rules_are_skipped() -> None:
    table = pd.DataFrame({"id": ["a", "", "b"], "field": ["dpd", "", ""], "op": [">=", "", ""],
                          "value": ["1", "", ""], "severity": ["info", "", "warning"]})
    assert [r.id for r in load_rules(table, ALERTS).rules] == ["a", "b"]


def test_codes_in_text_fields_keep_their_leading_zeros() -> None:
    schema = RuleSchema("r", outputs={}, fields={"code": "text", "n": "number"})
    rs = build_rules([{"id": "a", "when": [("code", "in", "007|010"), ("code", "!=", 1)]},
                      {"id": "b", "when": [("n", "==", "7.50")]}], schema)
    assert rs.rules[0].conditions[0].value == ("007", "010")
    assert rs.rules[0].conditions[1].value == "1"
    assert rs.rules[1].conditions[0].value == 7.5
    loose = build_rules([{"id": "a", "when": [("code", "==", "007")]}], RuleSchema("r", {}))
    assert loose.rules[0].conditions[0].value == "007"
