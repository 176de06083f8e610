"""Quarantine rows cite the line a person sees in an editor (header = line 1).

The expected line of every row is found independently: by looking for the
line of the written file that starts with the row's key (or is empty, for a
blank record), never by arithmetic on record numbers. For each quarantined
row the ``source_line`` column, the ``line N`` its message cites and the
file must agree.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import creditkit
from creditkit import cleaning
from creditkit.cleaning import clean_file, clean_payments, clean_sources, quarantine_rows
from creditkit.io import read_table
from creditkit.lines import record_starts

HEADER = "payment_id,paid_date,amount,reference"
ROWS = [
    "P1,2025-01-02,10,a",
    "P2,2025-01-02,x,b",                   # amount that is not a number
    'P3,2025-01-02,5,"two\nlines"',         # a quoted field holding a line break
    "P4,2025-01-02,-7,c",                  # negative amount
    "P5,2025-01-02,5,d,EXTRA",             # one field too many: malformed
    "P6,2025-02-30,5,e",                   # impossible date
    'P7,2025-01-02,6,"three\nmore\nlines"',
    "P8,2025-01-02,y,f",                   # bad amount after two multi-line records
]
NAMES = {"column_1": "payment_id", "column_2": "paid_date", "column_3": "amount",
         "column_4": "reference"}
SAMPLES = Path(creditkit.__file__).parents[1] / "datasets" / "samples"


def _write(tmp_path: Path, *, header: bool = True, blanks: tuple[int, ...] = (),
           newline: str = "\n", bom: bool = False) -> Path:
    """ROWS as a CSV file; an empty line before each row numbered in ``blanks``."""
    lines = [HEADER] if header else []
    for i, row in enumerate(ROWS):
        lines += [""] * blanks.count(i) + [row]
    text = "\n".join(lines) + "\n"
    data = text.replace("\n", newline).encode("utf-8")
    path = tmp_path / "pay.csv"
    path.write_bytes((codecs.BOM_UTF8 if bom else b"") + data)
    return path


def _editor_lines(path: Path) -> list[str]:
    """The file's lines as an editor shows them (LF, CRLF and CR end a line; no BOM)."""
    text = path.read_bytes().decode("utf-8-sig")
    return re.split(r"\r\n|\r|\n", text.removesuffix("\r\n").removesuffix("\n"))


def _line_of(path: Path, key: str) -> int:
    found = [n for n, line in enumerate(_editor_lines(path), 1) if line.startswith(key + ",")]
    assert len(found) == 1, (key, found)
    return found[0]


def _check_agree(path: Path, q: pd.DataFrame) -> None:
    """Each quarantined row: column = message's line = the line its key (or blank) is on."""
    assert q["source_line"].notna().all()
    cited = q["message"].str.extract(r"^line (\d+): ")[0]
    assert cited.notna().all(), q["message"].tolist()
    assert cited.astype(int).tolist() == q["source_line"].astype(int).tolist()
    blank = [n for n, line in enumerate(_editor_lines(path), 1) if line == ""]
    for row in q.itertuples():
        if row.reason == "empty_row":
            assert row.source_line in blank
        else:
            key = row.raw.split(",")[0] if row.reason == "malformed_line" else row.key
            assert row.source_line == _line_of(path, key), row


VARIANTS = {
    "header": {},
    "blank lines before and among rows": {"blanks": (0, 0, 3, 6)},
    "crlf": {"newline": "\r\n", "blanks": (2,)},
    "cr only": {"newline": "\r"},
    "bom": {"bom": True, "blanks": (5,)},
    "bom crlf blanks": {"bom": True, "newline": "\r\n", "blanks": (0, 4, 4)},
}


@pytest.mark.parametrize("kw", VARIANTS.values(), ids=VARIANTS.keys())
@pytest.mark.parametrize("header", [True, False], ids=["with header", "no header"])
def test_quarantine_cites_the_editor_line(tmp_path, kw, header):
    path = _write(tmp_path, header=header, **kw)
    df = (read_table(path, table="payments") if header
          else read_table(path, header=False, column_map=NAMES))
    res = clean_payments(df)
    q = res.quarantine
    expected = {"P2": "invalid_amount", "P4": "negative_amount", "P6": "impossible_date",
                "P8": "invalid_amount"}
    held = dict(zip(q["key"], q["reason"], strict=True))
    assert {k: held[k] for k in expected} == expected
    assert (q["reason"] == "malformed_line").sum() == 1
    assert (q["reason"] == "empty_row").sum() == len(kw.get("blanks", ()))
    _check_agree(path, q)
    # the records after multi-line ones: P8's line is past P7's three lines
    p8 = q.loc[q["key"] == "P8", "source_line"].item()
    assert p8 == _line_of(path, "P7") + 3 + kw.get("blanks", ()).count(7)
    assert sorted(res.clean["payment_id"]) == ["P1", "P3", "P7"]
    assert res.ok


def test_no_header_numbers_the_first_record_line_1(tmp_path):
    path = _write(tmp_path, header=False)
    df = read_table(path, header=None, column_map=NAMES)  # header=None as in pandas
    assert df.attrs["first_line"] == 1
    assert df.attrs["record_lines"][:3].tolist() == [1, 2, 3]
    q = clean_payments(df).quarantine
    assert q.loc[q["key"] == "P2", "source_line"].item() == 2


def test_bad_lines_and_blank_lines_are_editor_lines(tmp_path):
    path = _write(tmp_path, blanks=(4,))
    df = read_table(path, table="payments")
    assert df.attrs["bad_lines"] == [(_line_of(path, "P5"), "P5,2025-01-02,5,d,EXTRA")]
    assert df.attrs["blank_lines"] == [_line_of(path, "P5") - 1]


def test_one_line_per_record_needs_no_line_table(tmp_path):
    path = tmp_path / "flat.csv"
    path.write_text(HEADER + "\nP1,2025-01-02,10,a\n\nP2,2025-01-02,x,b\n", encoding="utf-8")
    df = read_table(path, table="payments")
    assert df.attrs["first_line"] == 2 and df.attrs["record_lines"] is None
    _check_agree(path, clean_payments(df).quarantine)


def test_merged_rows_cite_both_lines(tmp_path):
    path = tmp_path / "dup.csv"
    path.write_text(HEADER + '\nP1,2025-01-02,10,"a\nb"\nP2,2025-01-02,3,c\n'
                    'P1,2025-01-02,10,"a\nb"\n', encoding="utf-8")
    res = clean_payments(read_table(path, table="payments"))
    m = res.merged
    first, again = [n for n, line in enumerate(_editor_lines(path), 1) if line.startswith("P1,")]
    assert m[["source_line", "surviving_source_line"]].values.tolist() == [[again, first]]
    rows = quarantine_rows({"dup.csv": res})
    assert rows["message"].tolist() == [f"exact duplicate of line {first}"]
    assert rows["source_line"].tolist() == [again]
    zh = quarantine_rows({"dup.csv": res}, lang="zh")["explanation"][0]
    assert f"第 {first} 行" in zh


def test_excel_cites_the_sheet_row(tmp_path):
    book = openpyxl.Workbook()
    ws = book.active
    ws.append(["回款编号", "回款日期", "金额"])
    ws.append(["P1", "2025-01-02", "10"])
    ws.append([None, None, None])          # an empty sheet row
    ws.append(["P2", "2025-01-02", "x"])
    ws.append(["P3", "2025-02-30", "5"])
    path = tmp_path / "pay.xlsx"
    book.save(path)
    rows = {r[0].value: r[0].row for r in openpyxl.load_workbook(path).active.iter_rows()}
    q = clean_payments(read_table(path, table="payments")).quarantine
    got = dict(zip(q["reason"], q["source_line"].astype(int), strict=True))
    assert got == {"empty_row": 3, "invalid_amount": rows["P2"], "impossible_date": rows["P3"]}
    assert all(m.startswith(f"line {n}: ") for m, n in zip(q["message"], q["source_line"],
                                                             strict=True))
    headless = read_table(path, header=False, column_map={"column_1": "payment_id"})
    assert headless.attrs["first_line"] == 1 and headless["payment_id"].iloc[1] == "P1"


def test_a_frame_has_no_lines_and_says_so():
    df = pd.DataFrame({"payment_id": ["P1", "P2", "P3"], "paid_date": ["2025-01-02"] * 3,
                       "amount": ["1", "x", "-1"]})
    res = clean_payments(df)
    q = res.quarantine
    assert q["source_line"].isna().all()
    assert q["source_row"].tolist() == [2, 3]           # positions, 1 = first row
    assert not q["message"].str.contains(r"^line \d+", regex=True).any()
    rows = quarantine_rows({"frame": res})
    assert rows.columns.tolist()[:3] == ["file", "source_line", "source_row"]
    assert rows["source_row"].tolist() == [2, 3]


def test_parquet_has_no_lines(tmp_path):
    path = tmp_path / "p.parquet"
    pd.DataFrame({"payment_id": ["P1", "P2"], "paid_date": ["2025-01-02"] * 2,
                  "amount": ["1", "x"]}).to_parquet(path)
    df = read_table(path, table="payments")
    assert df.attrs["first_line"] is None
    assert clean_payments(df).quarantine["source_line"].isna().all()


def test_file_rows_show_one_number_for_people(tmp_path):
    res = clean_sources(payments=_write(tmp_path, blanks=(1,)))
    rows = quarantine_rows(res)
    assert "source_line" in rows.columns and "source_row" not in rows.columns
    assert cleaning.quarantine_frames(res)["invalid_amount"]["source_line"].notna().all()


def test_shipped_payments_sample_line_11(tmp_path):
    """The data-quality notebook's case: P010 has too many fields and sits on line 11."""
    path = SAMPLES / "payments.csv"
    rows = quarantine_rows(clean_sources(payments=path))
    p010 = _line_of(path, "P010")
    assert p010 == 11
    hit = rows[rows["message"].str.startswith("line 11: ")]
    assert hit["source_line"].tolist() == [p010] and hit["reason"].tolist() == ["malformed_line"]
    for row in rows.itertuples():
        cited = re.match(r"line (\d+): ", row.message)
        assert cited is None or int(cited.group(1)) == row.source_line


def test_quarantine_csv_keeps_the_line(tmp_path):
    path = _write(tmp_path, blanks=(2,))
    clean_file(path, "payments", tmp_path / "out")
    held = pd.read_csv(tmp_path / "out" / "quarantine.csv", dtype={"source_line": "Int64"},
                       keep_default_na=False)
    cited = held["message"].str.extract(r"^line (\d+): ")[0].astype(int)
    assert np.array_equal(cited.to_numpy(), held["source_line"].to_numpy(dtype=int))
    assert held.loc[held["key"] == "P8", "source_line"].item() == _line_of(path, "P8")


@pytest.mark.slow
def test_data_quality_report_shows_the_editor_line(tmp_path):
    """01-data-quality, run as a report on a payments file with quoted line breaks and blank
    lines: the 源文件行号 cell of each payments row is the line its key is on."""
    from creditkit.reporting import run_notebook

    nb = Path(__file__).resolve().parents[2] / "notebooks" / "01-data-quality.ipynb"
    payments = _write(tmp_path, blanks=(0, 6), newline="\r\n")
    page = run_notebook(nb, {"payments_path": str(payments), "lang": "zh"}, tmp_path / "out",
                        timeout=300).read_text(encoding="utf-8")
    table = next(t for t in re.findall(r"<table.*?</table>", page, flags=re.S)
                 if "<th class=\"ck-num\">源文件行号</th>" in t)
    heads = re.findall(r"<th[^>]*>(.*?)</th>", table)
    shown = {}
    for row in re.findall(r"<tr><td>pay\.csv</td>.*?</tr>", table):
        cells = dict(zip(heads, re.findall(r"<td[^>]*>(.*?)</td>", row), strict=True))
        shown.setdefault(cells["编号"], int(cells["源文件行号"]))
    assert {k: shown[k] for k in ("P2", "P4", "P6", "P8")} == {
        k: _line_of(payments, k) for k in ("P2", "P4", "P6", "P8")}


def _csv_starts(data: bytes) -> list[int]:
    """Oracle: the line each record starts on, as Python's csv module splits the file."""
    import csv
    import io

    reader = csv.reader(io.StringIO(data.decode("utf-8"), newline=""), strict=False)
    starts, end = [], 0
    for _ in reader:
        starts.append(end + 1)
        end = reader.line_num
    return starts


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["a", "1", ",", '"', '""', "\n", "\r\n", "\r", " ", 'x"y',
                                 '"q\nr"', '"s,t"', '"u\r\nv"']), max_size=30))
def test_record_starts_match_the_csv_module(pieces):
    data = ("h1,h2\n" + "".join(pieces)).encode()
    oracle = _csv_starts(data)
    got = record_starts(data, ",", len(oracle))
    if got is None:  # only when every record is one line
        assert oracle == list(range(1, len(oracle) + 1))
    else:
        assert got.tolist() == oracle


def test_a_stray_quote_in_an_unquoted_field_is_text(tmp_path):
    path = tmp_path / "stray.csv"
    path.write_text('payment_id,paid_date,amount,reference\nP1,2025-01-02,1,5" pipe\n'
                    'P2,2025-01-02,1,"a\nb"\nP3,2025-01-02,x,c\n', encoding="utf-8")
    df = read_table(path, table="payments")
    assert df["reference"].tolist()[:2] == ['5" pipe', "a\nb"]
    _check_agree(path, clean_payments(df).quarantine)
