"""``creditkit clean``: outputs written, summary printed, non-zero only for unusable files."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest

from creditkit.cli import main

# the synthetic messy exports shipped as samples (datasets/samples/make_samples.py)
MESSY = Path(__file__).resolve().parents[2] / "datasets" / "samples"


def _written(out_dir, table):
    """clean, quarantine and quality as written; asserts every row and every fen is in them."""
    quality = json.loads((out_dir / "quality.json").read_text(encoding="utf-8"))
    clean = pd.read_parquet(out_dir / "clean.parquet")
    held = pd.read_csv(out_dir / "quarantine.csv", encoding="utf-8-sig",
                       dtype={"amount_minor": "Int64", "currency": "str"})
    assert len(clean) + len(held) == quality["summary"]["rows_in"]
    assert held["source_row"].is_unique
    money_col = "credit_limit_minor" if table == "customers" else "amount_minor"
    out = pd.concat([clean[[money_col, "currency"]].set_axis(["amount_minor", "currency"], axis=1),
                     held[["amount_minor", "currency"]]]).dropna(subset=["amount_minor"])
    got = {str(c): int(v) for c, v in out.groupby("currency")["amount_minor"].sum().items()}
    assert got == {c: v for c, v in quality["summary"]["money_in"].items() if v or c in got}
    return clean, held, quality


def _clean(src, out, *options):
    return main(["clean", str(src), "--table", "payments", "--out", str(out), *options])


def test_clean_command_writes_outputs_and_summary(tmp_path, capsys):
    rc = main(["clean", str(MESSY / "bills.csv"), "--table", "bills", "--out", str(tmp_path)])
    out = capsys.readouterr().out
    assert rc == 0
    assert "21 rows in, 7 clean, 13 quarantined, 1 merged duplicates" in out
    assert "invariants ok: True" in out
    assert pd.read_parquet(tmp_path / "clean.parquet").shape[0] == 7
    assert (tmp_path / "quarantine.csv").read_bytes()[:3] == b"\xef\xbb\xbf"
    quality = json.loads((tmp_path / "quality.json").read_text(encoding="utf-8"))
    assert quality["summary"]["rows_in"] == 21 and quality["duplicates"]["conflicting_keys"] == 1


def test_clean_command_dayfirst_and_as_of(tmp_path, capsys):
    rc = main(["clean", str(MESSY / "bills.csv"), "--table", "bills", "--out", str(tmp_path),
               "--dayfirst", "--as-of", "2024-02-29"])
    out = capsys.readouterr().out
    assert rc == 0
    assert "ambiguous_date" not in out          # 05/01/2024 read as 5 January
    # issued 2024-03-01: B011, B012 twice, B013, B014, B016, B017, B018 (B015 misses its customer)
    assert "date_after_as_of: 8" in out


def test_bad_rows_do_not_fail_the_command(tmp_path, capsys):
    p = tmp_path / "p.csv"
    p.write_text("payment_id,paid_date,amount\nP1,soon,abc\n", encoding="utf-8")
    assert main(["clean", str(p), "--table", "payments", "--out", str(tmp_path / "o")]) == 0
    assert "unparseable_date: 1" in capsys.readouterr().out


@pytest.mark.parametrize(("content", "match"), [
    (None, "no such file"),
    ("foo,bar\n1,2\n", "no column of x.csv is recognisable"),
    ("", "is empty"),
])
def test_unusable_files_exit_2_with_why(tmp_path, capsys, content, match):
    p = tmp_path / "x.csv"
    if content is not None:
        p.write_text(content, encoding="utf-8")
    rc = main(["clean", str(p), "--table", "bills", "--out", str(tmp_path / "o")])
    assert rc == 2
    assert match in capsys.readouterr().err
    assert not (tmp_path / "o").exists()


def test_table_is_required_and_checked(tmp_path, capsys):
    assert main(["clean", "x.csv", "--out", str(tmp_path)]) == 2
    assert main(["clean", "x.csv", "--table", "snapshots", "--out", str(tmp_path)]) == 2
    assert "invalid choice: 'snapshots'" in capsys.readouterr().err


def test_clean_file_rejects_unknown_table(tmp_path):
    from creditkit.cleaning import clean_file
    from creditkit.exceptions import ParameterError

    with pytest.raises(ParameterError, match="table must be one of"):
        clean_file(MESSY / "bills.csv", "snapshots", tmp_path)


@pytest.mark.parametrize(("name", "table"), [
    ("customers_crm.csv", "customers"), ("customers_erp.csv", "customers"),
    ("bills.csv", "bills"), ("bills.xlsx", "bills"), ("payments.csv", "payments"),
])
def test_written_files_keep_every_row_and_every_fen(tmp_path, capsys, name, table):
    # read back what the command wrote, not the in-memory result: the files are what
    # an analyst opens, so rows and money must add up in them
    assert main(["clean", str(MESSY / name), "--table", table, "--out", str(tmp_path)]) == 0
    assert "invariants ok: True" in capsys.readouterr().out
    _written(tmp_path, table)


def test_written_bills_money_matches_the_hand_count(tmp_path, capsys):
    main(["clean", str(MESSY / "bills.csv"), "--table", "bills", "--out", str(tmp_path)])
    quality = json.loads((tmp_path / "quality.json").read_text(encoding="utf-8"))
    # by hand, as in test_samples: readable amounts of bills.csv
    assert quality["summary"]["money_in"] == {"CNY": 1_425_000, "USD": 20_000}


# --- reading and parsing options -------------------------------------------------------------

def test_encoding_reads_a_big5_file(tmp_path, capsys):
    src = tmp_path / "hk.csv"
    src.write_text("payment_id,paid_date,amount,currency,payer_name,reference\n"
                   "P1,2024-01-05,100.50,HKD,陳大文,臺北銀行轉帳\n"
                   "P2,2024-01-06,20,HKD,黃小明,現金\n", encoding="big5")
    # Big5 bytes also decode as GB18030, as mojibake full of rare characters: the detector
    # reads the traditional text as Big5 without being told
    assert _clean(src, tmp_path / "detected") == 0
    assert "hk.csv (big5): 2 rows in, 2 clean" in capsys.readouterr().out
    guessed = pd.read_parquet(tmp_path / "detected" / "clean.parquet")
    assert guessed["payer_name"].tolist() == ["陳大文", "黃小明"]
    assert _clean(src, tmp_path / "o", "--encoding", "big5") == 0
    assert "hk.csv (big5): 2 rows in, 2 clean" in capsys.readouterr().out
    clean, _, quality = _written(tmp_path / "o", "payments")
    assert clean["payer_name"].tolist() == ["陳大文", "黃小明"]
    assert clean["reference"].tolist() == ["臺北銀行轉帳", "現金"]
    assert quality["summary"]["money_in"]["HKD"] == 10_050 + 2_000


def test_undecodable_file_points_to_the_encoding_option(tmp_path, capsys):
    src = tmp_path / "eu.csv"
    src.write_text("payment_id,paid_date,amount,payer_name\nP1,2024-01-05,10,Zoë\n",
                   encoding="latin-1")
    assert _clean(src, tmp_path / "o") == 2
    err = capsys.readouterr().err
    assert "pass encoding=" in err and "use --encoding" in err
    assert err.count("\n") == 1 and not (tmp_path / "o").exists()
    assert _clean(src, tmp_path / "o", "--encoding", "latin-1") == 0
    clean, _, _ = _written(tmp_path / "o", "payments")
    assert clean["payer_name"].tolist() == ["Zoë"]
    assert _clean(src, tmp_path / "x", "--encoding", "no-such-codec") == 2
    assert "use --encoding" in capsys.readouterr().err


def _workbook(path, sheets):
    with pd.ExcelWriter(path, engine="openpyxl") as xl:
        for name, frame in sheets.items():
            frame.to_excel(xl, sheet_name=name, index=False)


def test_sheet_picks_a_worksheet_by_position_or_name(tmp_path, capsys):
    src = tmp_path / "回款.xlsx"
    cover = pd.DataFrame({"说明": ["2025年回款明细见第二页"]})
    pays = pd.DataFrame({"流水号": ["P1", "P2", "P3"],
                         "回款日期": ["2025-01-02", "2025-01-03", "不详"],
                         "金额": ["1,234.50", "66", "10"]})
    _workbook(src, {"封面": cover, "2025": pays})
    assert _clean(src, tmp_path / "first") == 2               # the cover sheet has no columns
    assert "no column of" in capsys.readouterr().err
    for sheet in ("1", "2025"):                             # 0-based position, or the name
        out = tmp_path / f"sheet{sheet}"
        assert _clean(src, out, "--sheet", sheet) == 0
        clean, held, quality = _written(out, "payments")
        assert clean["payment_id"].tolist() == ["P1", "P2"]
        assert held["source_row"].tolist() == [3]           # the third data row, P3
        assert quality["summary"]["money_in"] == {"CNY": 123_450 + 6_600 + 1_000}
    assert _clean(src, tmp_path / "x", "--sheet", "7") == 2
    err = capsys.readouterr().err
    assert "out of range" in err and "use --sheet" in err


def test_a_sheet_named_by_digits_wins_over_the_position(tmp_path, capsys):
    src = tmp_path / "y.xlsx"
    def sheet(pid):
        return pd.DataFrame({"流水号": [pid], "回款日期": ["2025-01-02"], "金额": ["1"]})

    _workbook(src, {"1": sheet("A"), "x": sheet("B")})
    assert _clean(src, tmp_path / "o", "--sheet", "1") == 0
    assert pd.read_parquet(tmp_path / "o" / "clean.parquet")["payment_id"].tolist() == ["A"]


def test_decimal_comma_reads_european_amounts(tmp_path, capsys):
    src = tmp_path / "eu.csv"
    src.write_text("payment_id;paid_date;amount;currency\n"
                   "P1;2024-01-05;1.234,56;EUR\nP2;2024-01-06;7,5;EUR\nP3;2024-01-07;12;EUR\n",
                   encoding="utf-8")
    assert _clean(src, tmp_path / "dot") == 0               # default '.': 1.234,56 is no amount
    _, held, _ = _written(tmp_path / "dot", "payments")
    assert "P1" in held["raw"].str.cat()
    assert _clean(src, tmp_path / "o", "--decimal", ",") == 0
    clean, held, quality = _written(tmp_path / "o", "payments")
    assert clean["amount_minor"].tolist() == [123_456, 750, 1_200] and held.empty
    assert quality["summary"]["money_in"] == {"EUR": 123_456 + 750 + 1_200}
    assert _clean(src, tmp_path / "x", "--decimal", ";") == 2
    assert "invalid choice" in capsys.readouterr().err


def test_dayfirst_and_monthfirst_read_ambiguous_dates(tmp_path, capsys):
    src = tmp_path / "p.csv"
    src.write_text("payment_id,paid_date,amount\nP1,05/01/2024,10\nP2,20/01/2024,5\n",
                   encoding="utf-8")
    assert _clean(src, tmp_path / "none") == 0
    assert "ambiguous_date: 1" in capsys.readouterr().out
    clean, held, _ = _written(tmp_path / "none", "payments")
    assert held["source_row"].tolist() == [1]               # 20/01 can only be day first
    assert clean["paid_date"].tolist() == [pd.Timestamp("2024-01-20")]
    for flag, first in (("--dayfirst", "2024-01-05"), ("--monthfirst", "2024-05-01")):
        out = tmp_path / flag.strip("-")
        assert _clean(src, out, flag) == 0
        clean, held, quality = _written(out, "payments")
        assert pd.Timestamp(clean.set_index("payment_id").loc["P1", "paid_date"]) == \
            pd.Timestamp(first)
        assert quality["summary"]["money_in"] == {"CNY": 1_500}
    assert _clean(src, tmp_path / "x", "--dayfirst", "--monthfirst") == 2
    assert "not allowed with argument" in capsys.readouterr().err


def test_column_map_maps_odd_headers_from_json_or_a_file(tmp_path, capsys):
    src = tmp_path / "odd.csv"
    src.write_text("Zahlungs-Nr.,Valuta (TT.MM.JJJJ),Betrag in €,currency\n"
                   "Z1,2024-01-05,99.90,EUR\nZ2,2024-01-06,0.10,EUR\n", encoding="utf-8")
    mapping = {"Zahlungs-Nr.": "payment_id", "Valuta (TT.MM.JJJJ)": "paid_date",
               "Betrag in €": "amount"}
    assert _clean(src, tmp_path / "none") == 2               # only currency is recognised
    assert "not found" in capsys.readouterr().err            # absent columns: an error (#7)
    assert _clean(src, tmp_path / "typo", "--column-map", '{"Zahlungs-No.": "payment_id"}') == 2
    assert "use --column-map" in capsys.readouterr().err
    as_file = tmp_path / "headers.json"
    as_file.write_text(json.dumps(mapping, ensure_ascii=False), encoding="utf-8-sig")
    for value in (json.dumps(mapping, ensure_ascii=False), str(as_file)):
        out = tmp_path / ("file" if value == str(as_file) else "json")
        assert _clean(src, out, "--column-map", value) == 0
        clean, held, quality = _written(out, "payments")
        assert clean["payment_id"].tolist() == ["Z1", "Z2"] and held.empty
        assert quality["summary"]["money_in"] == {"EUR": 9_990 + 10}


@pytest.mark.parametrize(("value", "match"), [
    ("{'Betrag': 'amount'}", "--column-map is not valid JSON"),
    ('{"Betrag": 1}', "must be a JSON object of header -> name strings"),
    ('["Betrag", "amount"]', "must be a JSON object"),
    ("headers.json", "neither a JSON object nor an existing file"),
    ("BAD_FILE", "--column-map file .* is not valid JSON"),
])
def test_bad_column_map_exits_2_with_one_line(tmp_path, capsys, value, match):
    src = tmp_path / "p.csv"
    src.write_text("payment_id,paid_date,amount\nP1,2024-01-05,10\n", encoding="utf-8")
    if value == "BAD_FILE":
        value = str(tmp_path / "bad.json")
        (tmp_path / "bad.json").write_text("{not json", encoding="utf-8")
    assert _clean(src, tmp_path / "o", "--column-map", value) == 2
    err = capsys.readouterr().err
    assert err.startswith("creditkit clean: error: ") and err.count("\n") == 1
    assert re.search(match, err)
    assert not (tmp_path / "o").exists()


def test_clean_file_passes_reading_options_and_keeps_its_defaults(tmp_path):
    from creditkit.cleaning import clean_file
    from creditkit.exceptions import DataReadError

    src = tmp_path / "p.csv"
    src.write_text("Nr;Datum;Beträge\nP1;05/01/2024;1.234,56\n", encoding="cp1252")
    headers = {"Nr": "payment_id", "Datum": "paid_date", "Beträge": "amount"}
    # by default the file is detected as GB18030 (mojibake header) and nothing else changes
    with pytest.raises(DataReadError, match=r"not headers of p\.csv"):
        clean_file(src, "payments", tmp_path / "d", column_map=headers)
    default = clean_file(src, "payments", tmp_path / "d", encoding="cp1252", column_map=headers)
    assert default["rows_clean"] == 0 and default["encoding"] == "cp1252"
    # default dayfirst=None and decimal=".": quarantined (first reason: the ambiguous date),
    # and 1.234,56 is no amount
    assert default["quarantine_by_reason"] == {"ambiguous_date": 1}
    assert default["money_in"] == {} and default["unread_amounts_in"] == 1
    s = clean_file(src, "payments", tmp_path / "o", encoding="cp1252", decimal=",",
                   dayfirst=True, column_map=headers)
    assert s["rows_clean"] == 1 and s["money_in"] == {"CNY": 123_456}
    clean = pd.read_parquet(tmp_path / "o" / "clean.parquet")
    assert pd.Timestamp(clean["paid_date"].iloc[0]) == pd.Timestamp("2024-01-05")


# --- hardening (#7): safe exports, no overwriting the input, clear --out errors -------------

BAD = Path(__file__).resolve().parents[1] / "data" / "bad"


def test_quarantine_csv_cannot_execute(tmp_path, capsys):
    rc = main(["clean", str(BAD / "bills_inject_hyperlink.csv"), "--table", "bills",
               "--out", str(tmp_path)])
    assert rc == 0
    held = pd.read_csv(tmp_path / "quarantine.csv", encoding="utf-8-sig", dtype=str)
    assert held["key"].str.startswith("'=HYPERLINK").all()
    assert not held.stack().str.startswith(("=", "+", "-", "@", "\t", "\r")).any()


def test_clean_refuses_to_overwrite_its_input(tmp_path, capsys):
    out = tmp_path / "out"
    main(["clean", str(BAD / "bills_ok.csv"), "--table", "bills", "--out", str(out)])
    before = (out / "quarantine.csv").read_bytes()
    rc = main(["clean", str(out / "quarantine.csv"), "--table", "bills", "--out", str(out)])
    err = capsys.readouterr().err
    assert rc == 2 and "refusing to overwrite the input file" in err and "--out" in err
    assert (out / "quarantine.csv").read_bytes() == before


@pytest.mark.parametrize("where", ["file", "under_file"])
def test_out_that_is_a_file_or_cannot_be_created(tmp_path, capsys, where):
    f = tmp_path / "f.txt"
    f.write_text("x")
    out = f if where == "file" else f / "sub"
    rc = main(["clean", str(BAD / "bills_ok.csv"), "--table", "bills", "--out", str(out)])
    err = capsys.readouterr().err
    assert rc == 2 and "Traceback" not in err and "--out" in err
