"""The one reader of analyst-edited policy tables: lines named, cells checked."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from creditkit.exceptions import DataReadError, ParameterError
from creditkit.policy_files import policy_choice, policy_int, policy_share, read_policy_csv


def test_notes_blank_lines_and_quotes_keep_the_file_lines(tmp_path: Path):
    f = tmp_path / "p.csv"
    f.write_text('\ufeff# a note\n\nname,text\n# another\nA,"x, y"\nB,z\n', encoding="utf-8")
    t = read_policy_csv(f, kind="demo", columns=("name", "text"))
    assert t.values.tolist() == [["A", "x, y", 5], ["B", "z", 6]]


def test_gb18030_file_is_read(tmp_path: Path):
    f = tmp_path / "p.csv"
    f.write_text("级别,说明\nwatch,关注客户\n", encoding="gb18030")
    assert read_policy_csv(f, kind="demo", columns=("级别",))["说明"].tolist() == ["关注客户"]


def test_broken_quotes_and_ragged_rows_name_the_line(tmp_path: Path):
    f = tmp_path / "p.csv"
    f.write_text("a,b\n1,2\n3,4,5\n", encoding="utf-8")
    with pytest.raises(ParameterError, match="line 3: 3 cells where the header has 2"):
        read_policy_csv(f, kind="demo", columns=("a",))


def test_no_default_and_wrong_types_say_what_to_pass():
    with pytest.raises(ParameterError, match="no shipped default"):
        read_policy_csv(None, kind="demo", columns=())
    with pytest.raises(ParameterError, match="CSV file path or a DataFrame"):
        read_policy_csv(42, kind="demo", columns=())
    with pytest.raises(DataReadError, match="does not exist"):
        read_policy_csv("no/such.csv", kind="demo", columns=())


def test_cells_are_checked_with_their_line():
    t = read_policy_csv(pd.DataFrame({"n": ["1", "-2"], "s": ["0.1", "1.01"],
                                      "c": ["a", "b"]}), kind="demo", columns=("n",))
    with pytest.raises(ParameterError, match="demo line 3: n must be from 0"):
        policy_int(t, "n", kind="demo", minimum=0)
    with pytest.raises(ParameterError, match="demo line 3: s must be a share"):
        policy_share(t, "s", kind="demo")
    with pytest.raises(ParameterError, match=r"demo line 3: c 'b' is not one of \['a'\]"):
        policy_choice(t, "c", ("a",), kind="demo")
    with pytest.raises(ParameterError, match="demo line 2: n must be from 0 to 0"):
        policy_int(t, "n", kind="demo", minimum=0, maximum=0)


def test_a_missing_column_names_the_header_line_after_notes_and_notes_are_kept(tmp_path: Path):
    f = tmp_path / "p.csv"
    f.write_text("# version: 2\n#note without colon\n\nx,y\n1,2\n", encoding="utf-8")
    with pytest.raises(ParameterError, match=r"demo p.csv line 4: no column 'a'"):
        read_policy_csv(f, kind="demo", columns=("a",))
    t = read_policy_csv(f, kind="demo", columns=("x",))
    assert t.attrs["notes"] == ["version: 2", "note without colon"]
    assert read_policy_csv(pd.DataFrame({"x": [1]}), kind="demo", columns=("x",)).attrs[
        "notes"] == []
