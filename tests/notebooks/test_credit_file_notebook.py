"""Notebook 08 (credit file) is thin, runs from the command line for a named customer, and
its report holds no unmasked personal data of that customer, in zh and en.

The committee reads one customer's file: the report shows that customer's identity masked
(张*, 138****5678, 110***********1234); the full name, ID number and mobile must appear
nowhere in the HTML, nor any other customer's (the payments show payers masked too).
"""

from __future__ import annotations

import ast
import re
import shutil
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from creditkit.reporting import notebook_parameters

NB = Path(__file__).resolve().parents[2] / "notebooks" / "08-credit-file.ipynb"
#: Numbers a call may hold that are no threshold: the title's heading level.
STRUCTURAL = {1}
THRESHOLDS = {"history_months", "n_payments", "max_table_rows", "picker_customers", "mask"}


def cells() -> tuple[nbformat.NotebookNode, list[nbformat.NotebookNode]]:
    doc = nbformat.read(NB, as_version=4)
    code = [c for c in doc.cells if c.cell_type == "code"]
    params = [c for c in code if "parameters" in c.metadata.get("tags", [])]
    assert len(params) == 1
    return params[0], [c for c in code if c is not params[0]]


def test_every_setting_is_a_commented_literal_of_the_parameters_cell() -> None:
    params_cell, _ = cells()
    params = notebook_parameters(NB)
    assert set(params) >= THRESHOLDS, f"missing parameters: {sorted(THRESHOLDS - set(params))}"
    assert params["lang"] == "zh" and params["mask"] is True and params["customer_id"] is None
    lines = params_cell.source.splitlines()
    for stmt in ast.parse(params_cell.source).body:
        assert "  # " in lines[stmt.end_lineno - 1], f"no comment: {ast.unparse(stmt)[:60]!r}"


def test_other_cells_hold_no_number_formula_or_definition() -> None:
    _, others = cells()
    declared = set(notebook_parameters(NB))
    used: set[str] = set()
    for cell in others:
        for node in ast.walk(ast.parse(cell.source)):
            assert not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef
                                  | ast.Lambda), f"definition in a cell: {cell.source[:60]!r}"
            assert not isinstance(node, ast.BinOp | ast.AugAssign | ast.Compare | ast.If), (
                f"formula in a cell (put it in the package): {ast.unparse(node)!r}")
            if isinstance(node, ast.Constant) and type(node.value) in (int, float):
                assert node.value in STRUCTURAL, f"number {node.value!r}: {cell.source[:60]!r}"
            if isinstance(node, ast.Name):
                used.add(node.id)
    assert not declared - used, f"parameters no cell uses: {sorted(declared - used)}"


def test_the_picker_is_live_only() -> None:
    doc = nbformat.read(NB, as_version=4)
    pickers = [c for c in doc.cells if "customer_picker(" in c.source]
    assert pickers and all("report-hide" in c.metadata.get("tags", []) for c in pickers)


# --- the exported report, zh (from the command line, a named customer) and en (the default) --

@pytest.fixture(scope="module")
def store(small_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the small store with three month ends of snapshots."""
    from creditkit.creditfile import monthly_history

    path = tmp_path_factory.mktemp("store-08") / "creditkit.duckdb"
    shutil.copy(small_store, path)
    monthly_history(path, end="2025-06-30", months=3)
    return path


@pytest.fixture(scope="module")
def reports(store: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[str, str]]:
    """{lang: (customer, page)}: zh by `creditkit report -p customer_id`, en by default."""
    from creditkit.cli import main
    from creditkit.creditfile import credit_file_report, default_customer
    from creditkit.store import portfolio_at

    out = tmp_path_factory.mktemp("report-08")
    book = portfolio_at(store, "2025-06-30").sort_values("outstanding_minor", ascending=False)
    named = str(book["customer_id"].iloc[1])  # not the default one
    assert main(["report", str(NB), "-p", "customer_id", named, "-p", "store_path", str(store),
                 "-p", "lang", "zh", "--out", str(out / "zh")]) == 0
    zh = (out / "zh" / "08-credit-file.html").read_text(encoding="utf-8")
    en = credit_file_report(store, out_dir=out / "en", lang="en").read_text(encoding="utf-8")
    return {"zh": (named, zh), "en": (default_customer(store), en)}


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_report_is_the_customers_file_and_masked(reports, small_portfolio, lang: str) -> None:
    from creditkit.labels import label
    from creditkit.privacy import mask_id_number, mask_name, mask_phone

    cid, page = reports[lang]
    customers = small_portfolio["customers"]
    me = customers[customers["customer_id"] == cid].iloc[0]
    assert label("creditfile_report_title", lang) in page and cid in page
    for col, masker in (("name", mask_name), ("id_number", mask_id_number),
                        ("phone", mask_phone)):
        value = str(me[col])
        shown = masker(pd.Series([value])).iloc[0]
        assert shown != value and shown in page, f"the masked {col} {shown!r} is not shown"
        assert value not in page, f"unmasked {col} in the {lang} report"
    leaks = [n for n in customers["name"].dropna().astype(str) if len(n) > 1 and n in page]
    assert leaks == [], f"full names in the {lang} report: {leaks[:5]}"
    for col in ("phone", "id_number"):
        shown = [v for v in customers[col].dropna().astype(str) if v and v in page]
        assert shown == [], f"{col} in the {lang} report: {shown[:3]}"
    text = re.sub(r"<script.*?</script>", "", page, flags=re.S)
    assert not re.search(r"(?<!\d)1[3-9]\d{9}(?!\d)", text), "a mobile number in the page"


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_report_first_screen_then_sections(reports, lang: str) -> None:
    from creditkit.labels import label

    _, page = reports[lang]
    title = page.index(label("creditfile_report_title", lang))
    first = page.index(label("creditfile_identity", lang))
    assert title < page.index('class="ck-headline"') < first
    keys = ("creditfile_history", "creditfile_charts", "creditfile_changes_title",
            "creditfile_actions", "creditfile_bills")
    where = [page.index(label(k, lang)) for k in keys]
    assert first < where[0] and where == sorted(where)
    assert page.count("plotly-graph-div") >= 2
