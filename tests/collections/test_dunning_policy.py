"""The dunning policy file: the shipped default, and every malformed line named with its fix."""

from __future__ import annotations

import csv
import io
from importlib import resources
from pathlib import Path

import pandas as pd
import pytest

from creditkit.collections import DUNNING_POLICY_COLUMNS, PLACEHOLDERS, load_dunning_policy
from creditkit.collections.dunning_policy import fill_template, template_fields
from creditkit.exceptions import CreditkitError, DataReadError, ParameterError

SHIPPED = resources.files("creditkit.collections").joinpath(
    "data/dunning_policy.csv").read_text(encoding="utf-8")
LINES = SHIPPED.splitlines()
HEADER_LINE = next(i for i, ln in enumerate(LINES, 1) if ln.startswith("level,"))


def level_line(level: int) -> int:
    """The file line (1-based) of a level in the shipped file."""
    return HEADER_LINE + level


def edited(at: int, **cells: str) -> str:
    """The shipped file with some cells of level ``at``'s line replaced."""
    lines = list(LINES)
    i = level_line(at) - 1
    row = next(csv.reader([lines[i]]))
    header = next(csv.reader([LINES[HEADER_LINE - 1]]))
    for col, value in cells.items():
        row[header.index(col)] = value
    buf = io.StringIO()
    csv.writer(buf, lineterminator="").writerow(row)
    lines[i] = buf.getvalue()
    return "\n".join(lines) + "\n"


def write(tmp_path: Path, text: str, name: str = "policy.csv", encoding: str = "utf-8") -> Path:
    p = tmp_path / name
    p.write_text(text, encoding=encoding)
    return p


def test_the_shipped_default_is_the_issue_ladder():
    p = load_dunning_policy()
    assert list(p.columns[:6]) == list(DUNNING_POLICY_COLUMNS)
    assert p["days"].tolist() == [-3, 0, 7, 15, 30, 60]
    assert p["channel"].tolist() == ["sms", "sms", "sms+email", "call", "letter", "legal"]
    assert p["action"].tolist()[4:] == ["stop_credit", "handover"]
    assert p["line"].tolist() == [level_line(i) for i in range(1, 7)]


def test_an_edited_copy_is_read_with_its_lines(tmp_path):
    p = load_dunning_policy(write(tmp_path, edited(4, days="20", channel="call+sms")))
    assert p.loc[3, ["days", "channel"]].tolist() == [20, "call+sms"]


@pytest.mark.parametrize(("level", "cells", "message"), [
    (3, {"channel": "fax"}, "unknown channel 'fax'; use one of sms, email, call, letter, legal"),
    (3, {"channel": "sms+pigeon"}, "unknown channel 'pigeon'"),
    (4, {"days": "5"}, "days 5 is not after the previous level's 7; days must increase"),
    (2, {"days": "-3"}, "days -3 is not after the previous level's -3"),
    (4, {"days": "ten"}, "days must be a whole number of days relative to the due date"),
    (4, {"days": "15.5"}, "days must be a whole number"),
    (5, {"level": "7"}, "level is '7' but this is level 5; number the levels 1, 2, 3"),
    (5, {"action": "sue"}, "unknown action 'sue'; use one of remind, stop_credit, handover"),
    (2, {"template_en": "Dear {name}, please pay."}, "template_en lacks the placeholder {amount}"),
    (2, {"template_zh": "尊敬的{name}，请还款{amout}"},
     "template_zh uses unknown placeholder {amout}"),
    (2, {"template_en": "Pay {amount"}, "template_en is not a valid template"),
    (2, {"template_en": "Pay {amount:>10}"}, "template_en formats {amount} itself"),
    (2, {"template_en": "Pay {amount.real}"}, "unknown placeholder {amount.real}"),
    (6, {"template_zh": ""}, "template_zh is empty"),
])
def test_a_malformed_line_is_named_with_the_fix(tmp_path, level, cells, message):
    path = write(tmp_path, edited(level, **cells))
    with pytest.raises(ParameterError, match=rf"policy.csv line {level_line(level)}: ") as err:
        load_dunning_policy(path)
    assert message in str(err.value)
    assert isinstance(err.value, CreditkitError)


def test_notes_and_blank_lines_keep_the_line_numbers(tmp_path):
    lines = edited(3, channel="fax").splitlines()
    lines.insert(HEADER_LINE + 1, "")  # a blank line after level 1
    lines.insert(HEADER_LINE + 1, "# a note the analyst added")
    with pytest.raises(ParameterError, match=rf"line {level_line(3) + 2}: unknown channel"):
        load_dunning_policy(write(tmp_path, "\n".join(lines)))


def test_an_unquoted_comma_is_named(tmp_path):
    lines = list(LINES)
    lines[level_line(2) - 1] = "2,0,sms,remind,请还款{amount},Dear {name}, pay {amount}"
    with pytest.raises(ParameterError, match=rf"line {level_line(2)}: 7 cells where the "
                       "header has 6; a cell holding a comma \\(a template, a reason\\) must be in "
                       "double quotes"):
        load_dunning_policy(write(tmp_path, "\n".join(lines)))


def test_a_missing_column_is_named(tmp_path):
    frame = pd.read_csv(io.StringIO(SHIPPED), comment="#").drop(columns="template_en")
    with pytest.raises(ParameterError, match=r"lacks column\(s\) \['template_en'\]"):
        load_dunning_policy(write(tmp_path, frame.to_csv(index=False)))


def test_action_may_be_left_out(tmp_path):
    frame = pd.read_csv(io.StringIO(SHIPPED), comment="#").drop(columns="action")
    p = load_dunning_policy(write(tmp_path, frame.to_csv(index=False)))
    assert set(p["action"]) == {"remind"}


def test_a_gb18030_file_from_excel_is_read(tmp_path):
    p = load_dunning_policy(write(tmp_path, SHIPPED, encoding="gb18030"))
    assert p["template_zh"].iloc[0].startswith("【还款提醒】")


@pytest.mark.parametrize(("content", "message"), [
    (None, "does not exist"),
    (b"PK\x03\x04rest", "is an Excel workbook"),
    (b"# only a note\n", "has no rows"),
    (b"level,days,channel,template_zh,template_en\n", "has no rows"),
    (b"\xff\xfe\x00\x81\x00", "not UTF-8 or GB18030"),
])
def test_an_unreadable_file_is_named(tmp_path, content, message):
    path = tmp_path / "p.csv"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(DataReadError, match=message):
        load_dunning_policy(path)


def test_a_path_of_the_wrong_type_is_refused():
    with pytest.raises(ParameterError, match="must be a CSV file path or a DataFrame"):
        load_dunning_policy(3)


def test_templates_fill_every_known_placeholder_and_keep_literal_braces():
    text = "{{" + "|".join("{" + k + "}" for k in PLACEHOLDERS) + "}}"
    parts = template_fields(text, line=2, column="template_en")
    idx = pd.RangeIndex(1)
    out = fill_template(parts, {k: pd.Series([k.upper()]) for k in PLACEHOLDERS}, idx)
    assert out.iloc[0] == "{" + "|".join(k.upper() for k in PLACEHOLDERS) + "}"


def test_a_stray_quote_is_named(tmp_path):
    lines = list(LINES)
    lines[level_line(3) - 1] = '3,7,sms,remind,"请还款{amount}"了,Pay {amount}'
    with pytest.raises(ParameterError, match=rf"line {level_line(3)}: not readable as CSV"):
        load_dunning_policy(write(tmp_path, "\n".join(lines)))


def test_a_policy_frame_must_be_a_frame_with_levels():
    from creditkit.collections import check_dunning_policy

    with pytest.raises(ParameterError, match="a dunning policy is a DataFrame or a CSV path"):
        check_dunning_policy([1, 2])
    with pytest.raises(ParameterError, match="policy has no levels"):
        check_dunning_policy(load_dunning_policy().iloc[:0])
