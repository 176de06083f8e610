"""Tests of the creditkit command line."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from creditkit.cli import main, parse_value


@pytest.mark.parametrize(("text", "value"), [
    ("12", 12), ("-1.5", -1.5), ("true", True), ("null", None), ('["a", 1]', ["a", 1]),
    ('{"k": 2}', {"k": 2}), ('"007"', "007"), ("007", "007"), ("zh", "zh"),
    ("2025-06-30", "2025-06-30"), ("../datasets/x.duckdb", "../datasets/x.duckdb"), ("", ""),
])
def test_parse_value(text: str, value: object) -> None:
    assert parse_value(text) == value


def test_help_has_examples(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    for word in ("generate", "report", "demo", "examples:", "creditkit demo",
                 "reports/index.html"):
        assert word in out
    for cmd in ("generate", "report", "demo"):
        assert main([cmd, "--help"]) == 0
        assert "example" in capsys.readouterr().out


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 2
    assert main(["frobnicate"]) == 2
    assert "invalid choice" in capsys.readouterr().err


def test_creditkit_error_is_one_line_without_traceback(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert main(["report", str(tmp_path / "missing.ipynb")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("creditkit report: error: notebook") and "does not exist" in err
    assert "Traceback" not in err
    assert main(["generate", "--customers", "0", "--store", str(tmp_path / "s.duckdb")]) == 2
    assert "--customers must be at least 1, got 0" in capsys.readouterr().err


def test_generate_writes_the_store(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from creditkit.store import load_portfolio, read_meta

    store = tmp_path / "sub" / "book.duckdb"
    assert main(["generate", "-n", "40", "--kind", "b2b", "--seed", "3", "--end", "2025-03-31",
                 "--store", str(store)]) == 0
    assert f"to {store}" in capsys.readouterr().out
    tables = load_portfolio(store)
    assert len(tables["customers"]) == 40
    assert (tables["customers"]["kind"] == "business").all()
    assert tables["bills"]["issue_date"].max() <= __import__("pandas").Timestamp("2025-03-31")
    assert read_meta(store)["fingerprint"]


def _notebook(path: Path, source: str) -> Path:
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell(
            'lang: str = "zh"\nn: int = 1\nstore_path: str = "none"\nitems: list = []',
            metadata={"tags": ["parameters"]}),
        nbformat.v4.new_code_cell(source)])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    nbformat.write(nb, path)
    return path


def test_report_parses_parameters(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                  monkeypatch: pytest.MonkeyPatch) -> None:
    nb = _notebook(tmp_path / "r.ipynb", "print('GOT', lang, n + 1, items, store_path)")
    monkeypatch.chdir(tmp_path)
    code = main(["report", str(nb), "-p", "lang", "en", "-p", "n", "41", "-p", "items", "[1,2]",
                 "-p", "store_path", "data/x.duckdb", "--out", "out", "--timeout", "60"])
    assert code == 0
    assert "report: out/r.html" in capsys.readouterr().out
    page = (tmp_path / "out" / "r.html").read_text(encoding="utf-8")
    assert f"GOT en 42 [1, 2] {tmp_path / 'data' / 'x.duckdb'}" in page
    assert main(["report", str(nb), "-p", "nope", "1", "--out", "out"]) == 2
    assert "unknown parameter(s) ['nope']" in capsys.readouterr().err


def test_report_lists_a_notebooks_parameters_without_running_it(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    nb = _notebook(tmp_path / "r.ipynb", "raise RuntimeError('must not run')")
    assert main(["report", str(nb), "--list-parameters", "--out", str(tmp_path / "o")]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"parameters of {nb} (set any with -p NAME VALUE):")
    assert 'lang: str = "zh"\nn: int = 1' in out
    assert not (tmp_path / "o").exists()
    real = Path(__file__).resolve().parents[1] / "notebooks" / "03-repayment-tracking.ipynb"
    assert main(["report", str(real), "--list-parameters"]) == 0
    assert "# reporting date" in capsys.readouterr().out  # the comments say what each means
    assert main(["report", str(tmp_path / "none.ipynb"), "--list-parameters"]) == 2
    assert "does not exist" in capsys.readouterr().err


def test_demo_generates_and_exports_everything(tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    nbs = tmp_path / "nbs"
    nbs.mkdir()
    _notebook(nbs / "00-a.ipynb", "import os; print('STORE-EXISTS', os.path.exists(store_path))")
    _notebook(nbs / "01-b.ipynb", "print('B', lang)")
    out = tmp_path / "reports"
    code = main(["demo", "-n", "30", "--store", str(tmp_path / "s.duckdb"), "--notebooks",
                 str(nbs), "--out", str(out), "--lang", "en", "--timeout", "60"])
    assert code == 0
    printed = capsys.readouterr().out
    assert str(out / "index.html") in printed and "works offline" in printed
    assert "STORE-EXISTS True" in (out / "00-a.html").read_text(encoding="utf-8")
    assert "B en" in (out / "01-b.html").read_text(encoding="utf-8")
    assert "stages: history" in printed
    assert 'href="00-a.html"' in (out / "index.html").read_text(encoding="utf-8")
    assert "generating the portfolio: no store at" in printed
    made = (tmp_path / "s.duckdb").stat().st_mtime_ns
    _notebook(nbs / "02-c.ipynb", "raise RuntimeError('broken on purpose')")
    assert main(["demo", "-n", "30", "--store", str(tmp_path / "s.duckdb"), "--notebooks",
                 str(nbs), "--out", str(out), "--timeout", "60", "--jobs", "1"]) == 2
    captured = capsys.readouterr()
    assert "02-c.ipynb failed" in captured.err and "broken on purpose" in captured.err
    assert "using the existing store" in captured.out  # same options: not generated again
    assert (tmp_path / "s.duckdb").stat().st_mtime_ns == made


def _generator(**changes: object) -> dict:
    """The generator parameters `creditkit demo -n 30` asks for, with ``changes``."""
    return {"n_customers": 30, "seed": 42, "kind": "mixed", "start": "2024-01-01",
            "end": "2025-12-31", **changes}


def test_demo_generates_only_when_missing_changed_or_asked(tmp_path: Path) -> None:
    import pandas as pd

    from creditkit.cli import stale_reason
    from creditkit.store import read_meta, write_tables

    store = tmp_path / "s.duckdb"
    assert stale_reason(store, _generator()) == f"no store at {store}"
    assert main(["generate", "-n", "30", "--store", str(store)]) == 0
    assert read_meta(store)["generator"] == (
        '{"end": "2025-12-31", "kind": "mixed", "n_customers": 30, "seed": 42, '
        '"start": "2024-01-01"}')
    assert stale_reason(store, _generator()) is None
    assert stale_reason(store, _generator(), regenerate=True) == "--regenerate"
    assert stale_reason(store, _generator(seed=5)).endswith("(seed 42 -> 5)")
    assert "n_customers 30 -> 31; kind 'mixed' -> 'b2b'" in stale_reason(
        store, _generator(n_customers=31, kind="b2b"))
    with __import__("duckdb").connect(str(store)) as con:  # made by an older creditkit
        con.execute("UPDATE meta SET value = '0.0.1' WHERE key = 'creditkit_version'")
    assert "creditkit 0.0.1 -> " in stale_reason(store, _generator())
    own = tmp_path / "own.duckdb"  # the analyst's own data: never overwritten by default
    write_tables(own, {"notes": pd.DataFrame({"x": [1]})})
    assert stale_reason(own, _generator(seed=5)) is None
    assert stale_reason(own, _generator(), regenerate=True) == "--regenerate"


# --- clean: reading options (issue #7) ------------------------------------------------------

def _clean(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    rc = main(["clean", *args])
    return rc, capsys.readouterr().err


def test_clean_names_format_for_a_workbook_named_csv(tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    import pandas as pd

    book = tmp_path / "bills.xlsx"
    pd.DataFrame({"账单号": ["B1"], "客户编号": ["C1"], "出账日期": ["2025-01-05"],
                  "到期日": ["2025-02-05"], "金额": ["10.00"]}).to_excel(book, index=False)
    src = book.rename(tmp_path / "bills.csv")
    rc, err = _clean(capsys, str(src), "--table", "bills", "--out", str(tmp_path / "o"))
    assert rc == 2 and "is an Excel workbook" in err and "--format xlsx" in err
    assert "encoding" not in err
    rc, err = _clean(capsys, str(src), "--table", "bills", "--out", str(tmp_path / "o"),
                     "--format", "xlsx")
    assert rc == 0, err
    assert pd.read_parquet(tmp_path / "o" / "clean.parquet")["amount_minor"].tolist() == [1000]


def test_clean_refuses_a_column_map_field_before_reading(tmp_path: Path,
                                                         capsys: pytest.CaptureFixture[str]
                                                         ) -> None:
    src = tmp_path / "b.csv"
    src.write_bytes(b"amt\x00,x\n")  # unreadable: an error about it would mean it was read
    rc, err = _clean(capsys, str(src), "--table", "bills", "--out", str(tmp_path / "o"),
                     "--column-map", '{"amt": "credit_limit"}')
    assert rc == 2
    assert "'amt' to 'credit_limit', which is not a field of bills" in err
    assert "'amount'" in err and "binary" not in err
    assert not (tmp_path / "o").exists()


def test_clean_hints_encoding_big5_as_the_option(tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "few.csv"
    src.write_bytes("序,戶,額\nB1,C1,1\n".encode("big5"))
    rc, err = _clean(capsys, str(src), "--table", "bills", "--out", str(tmp_path / "o"))
    assert rc == 2 and "(creditkit clean: use --encoding big5, --column-map)" in err
    rc, err = _clean(capsys, str(src), "--table", "bills", "--out", str(tmp_path / "o"),
                     "--encoding", "big5", "--column-map", '{"序": "bill_id", "額": "amount"}')
    assert rc == 2 and "required bills column(s) ['customer_id'" in err  # read, then checked
