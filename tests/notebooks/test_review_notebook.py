"""Notebook 07 (the monthly portfolio review): thin, and its report masked and generated.

Every threshold is a literal of the parameters cell; the other cells only call the package.
Its report, run on the small store in Chinese, shows the commentary the package generates
from that store's numbers, and holds no customer name, ID number or mobile unmasked.
"""

from __future__ import annotations

import ast
import html
from pathlib import Path

import nbformat
import pytest

from creditkit.reporting import notebook_parameters, run_notebook
from creditkit.review import commentary, review_kpis, share_drivers

NB = Path(__file__).resolve().parents[2] / "notebooks" / "07-portfolio-review.ipynb"
THRESHOLDS = {"months_of_history", "vintage_dpd", "top_n", "score_bands", "driver_by",
              "allocation"}


def cells() -> tuple[nbformat.NotebookNode, list[nbformat.NotebookNode]]:
    doc = nbformat.read(NB, as_version=4)
    code = [c for c in doc.cells if c.cell_type == "code"]
    params = [c for c in code if "parameters" in c.metadata.get("tags", [])]
    assert len(params) == 1
    return params[0], [c for c in code if c is not params[0]]


def test_parameters_are_commented_literals_and_chinese_by_default() -> None:
    params_cell, _ = cells()
    params = notebook_parameters(NB)
    assert set(params) >= THRESHOLDS
    assert params["lang"] == "zh"
    lines = params_cell.source.splitlines()
    for stmt in ast.parse(params_cell.source).body:
        assert "  # " in lines[stmt.end_lineno - 1], f"no comment: {ast.unparse(stmt)[:60]!r}"


def test_other_cells_hold_no_number_formula_or_definition() -> None:
    _, others = cells()
    used: set[str] = set()
    for cell in others:
        for node in ast.walk(ast.parse(cell.source)):
            assert not isinstance(node, ast.FunctionDef | ast.ClassDef | ast.Lambda)
            assert not isinstance(node, ast.BinOp | ast.AugAssign | ast.Compare), (
                f"formula in a cell (put it in the package): {ast.unparse(node)!r}")
            if isinstance(node, ast.Constant) and type(node.value) in (int, float):
                assert node.value == 1, f"number outside the parameters cell: {cell.source[:60]!r}"
            if isinstance(node, ast.Name):
                used.add(node.id)
    assert not set(notebook_parameters(NB)) - used


@pytest.fixture(scope="module")
def report_zh(small_store: Path, small_portfolio, portfolio_as_of: str,
              tmp_path_factory: pytest.TempPathFactory) -> str:
    out = tmp_path_factory.mktemp("review")
    params = {"store_path": str(small_store), "as_of": portfolio_as_of, "lang": "zh"}
    return run_notebook(NB, params, out, timeout=300).read_text(encoding="utf-8")


def test_report_shows_the_generated_commentary(report_zh: str, small_portfolio,
                                               portfolio_as_of: str) -> None:
    kpis = review_kpis(small_portfolio, as_of=portfolio_as_of)
    drivers = share_drivers(small_portfolio, as_of=portfolio_as_of,
                            previous=kpis.attrs["previous"], by="region")
    sentences = commentary(kpis, drivers, lang="zh")
    assert len(sentences) == len(kpis)
    for s in sentences:
        assert html.escape(s) in report_zh, s


def test_report_masks_every_name_id_number_and_mobile(report_zh: str, small_portfolio) -> None:
    customers = small_portfolio["customers"]
    for col in ("name", "id_number", "phone"):
        if col not in customers.columns:
            continue
        leaked = [v for v in customers[col].dropna().astype(str) if len(v) > 3 and v in report_zh]
        assert not leaked, f"{col} unmasked in the review: {leaked[:3]}"
    assert len(report_zh.encode("utf-8")) < 8_000_000
