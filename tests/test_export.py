"""creditkit.export: CSV/XLSX that cannot execute, originals recoverable, atomic writes."""

from __future__ import annotations

import csv

import openpyxl
import pandas as pd
import pytest

from creditkit.exceptions import ParameterError
from creditkit.export import (
    FORMULA_STARTS,
    neutralise_formulas,
    restore_formulas,
    write_atomic,
    write_csv,
    write_excel,
)

PAYLOADS = ['=HYPERLINK("http://evil.example","x")', "+1+cmd|' /C calc'!A0", "-2+3+cmd|x",
            "@SUM(A1:A2)", "\t=1+1", "\r=1+1", "=1+1", "'quoted", "ok", "-12.50"]


def _frame() -> pd.DataFrame:
    n = len(PAYLOADS)
    return pd.DataFrame({"key": PAYLOADS, "n": list(range(-n, 0)), "f": [-1.5] * n})


def test_csv_cells_never_start_a_formula_and_numbers_stay_numbers(tmp_path) -> None:
    df = _frame()
    before = df.copy()
    p = write_csv(df, tmp_path / "q.csv")
    pd.testing.assert_frame_equal(df, before)  # input not mutated
    with p.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    keys = [r[0] for r in rows[1:]]
    assert all(not k.startswith(FORMULA_STARTS) for k in keys)
    assert keys == ["'" + v if v[0] in "=+-@\t\r'" else v for v in PAYLOADS]
    assert rows[1][1] == str(-len(PAYLOADS))  # a genuine number stays a number
    back = restore_formulas(pd.read_csv(p, encoding="utf-8-sig", dtype=str,
                                        keep_default_na=False))
    assert back["key"].tolist() == PAYLOADS


def test_xlsx_cells_are_text_not_formulas(tmp_path) -> None:
    p = write_excel(_frame(), tmp_path / "q.xlsx")
    ws = openpyxl.load_workbook(p)["Sheet1"]
    cells = [c for c in ws["A"][1:]]
    assert all(c.data_type == "s" for c in cells)
    assert all(not str(c.value).startswith(FORMULA_STARTS) for c in cells)
    assert ws["B2"].value == -len(PAYLOADS) and ws["C2"].value == -1.5
    back = restore_formulas(pd.DataFrame({"key": [c.value for c in cells]}))
    # XML (the XLSX format) stores a CR as a line feed; everything else comes back as it was
    assert back["key"].tolist() == [v.replace("\r", "\n") for v in PAYLOADS]


def test_headers_are_neutralised_too() -> None:
    out = neutralise_formulas(pd.DataFrame({"=cmd": ["a"], "ok": [1]}))
    assert list(out.columns) == ["'=cmd", "ok"]


def test_write_csv_masks_when_asked(tmp_path) -> None:
    df = pd.DataFrame({"姓名": ["张三"], "备注": ["手机13800138000"]})
    text = write_csv(df, tmp_path / "m.csv", mask=True).read_text(encoding="utf-8-sig")
    assert "张三" not in text and "13800138000" not in text and "138****8000" in text


def test_atomic_write_leaves_the_old_file_when_writing_fails(tmp_path) -> None:
    p = tmp_path / "a.txt"
    p.write_text("old")

    def crash(tmp):
        tmp.write_text("half")
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        write_atomic(p, crash)
    assert p.read_text() == "old"
    assert [x.name for x in tmp_path.iterdir()] == ["a.txt"]  # no temp file left behind


def test_errors() -> None:
    with pytest.raises(ParameterError, match="expects a pandas DataFrame, got list"):
        neutralise_formulas([1])
    with pytest.raises(ParameterError, match="it is a folder"):
        write_atomic(".", lambda tmp: None)
    with pytest.raises(ParameterError, match="cannot write into"):
        write_atomic("no/such/folder/x.csv", lambda tmp: None)
