"""``creditkit clean``: outputs written, summary printed, non-zero only for unusable files."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from creditkit.cli import main

MESSY = Path(__file__).parent / "data" / "messy"


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
               "--dayfirst", "yes", "--as-of", "2024-02-29"])
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
    quality = json.loads((tmp_path / "quality.json").read_text(encoding="utf-8"))
    clean = pd.read_parquet(tmp_path / "clean.parquet")
    held = pd.read_csv(tmp_path / "quarantine.csv", encoding="utf-8-sig",
                       dtype={"amount_minor": "Int64", "currency": "str"})
    assert len(clean) + len(held) == quality["summary"]["rows_in"]
    assert held["source_row"].is_unique
    money_col = "credit_limit_minor" if table == "customers" else "amount_minor"
    out = pd.concat([clean[[money_col, "currency"]].set_axis(["amount_minor", "currency"], axis=1),
                     held[["amount_minor", "currency"]]]).dropna(subset=["amount_minor"])
    got = {str(c): int(v) for c, v in out.groupby("currency")["amount_minor"].sum().items()}
    assert got == {c: v for c, v in quality["summary"]["money_in"].items() if v or c in got}


def test_written_bills_money_matches_the_hand_count(tmp_path, capsys):
    main(["clean", str(MESSY / "bills.csv"), "--table", "bills", "--out", str(tmp_path)])
    quality = json.loads((tmp_path / "quality.json").read_text(encoding="utf-8"))
    # by hand, as in test_cleaning_messy: readable amounts of bills.csv
    assert quality["summary"]["money_in"] == {"CNY": 1_425_000, "USD": 20_000}
