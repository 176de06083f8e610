"""Notebook 04 (collections) is thin, and its report is masked in both languages.

The team lead tunes the notebook through its ``parameters`` cell only (papermill
replaces it; ``creditkit report -p``): the policy and rules files, the auto-apply level,
the run cycle, the team and its capacity, the window of collector performance, the rows
shown; the other cells only call the package and show what it returns.

Its report holds no personal data: no customer's full name, phone or ID number, in zh
or in en; reminders address the customer by id; the live-only browsers are left out.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import nbformat
import pytest

from creditkit.reporting import notebook_parameters

NB = Path(__file__).resolve().parents[2] / "notebooks" / "04-collections.ipynb"
#: Numbers a call may hold that are no threshold: the title's heading level.
STRUCTURAL = {1}
#: The thresholds and settings a team lead expects to find as parameters.
THRESHOLDS = {"policy_path", "rules_path", "auto_apply_level", "dunning_runs", "run_every_days",
              "collectors", "capacity", "window_days", "currency", "rows_per_group"}


def cells() -> tuple[nbformat.NotebookNode, list[nbformat.NotebookNode]]:
    doc = nbformat.read(NB, as_version=4)
    code = [c for c in doc.cells if c.cell_type == "code"]
    params = [c for c in code if "parameters" in c.metadata.get("tags", [])]
    assert len(params) == 1
    return params[0], [c for c in code if c is not params[0]]


def test_every_threshold_is_a_commented_literal_of_the_parameters_cell() -> None:
    params_cell, _ = cells()
    params = notebook_parameters(NB)  # raises unless every value is a literal
    assert THRESHOLDS <= set(params), f"missing parameters: {sorted(THRESHOLDS - set(params))}"
    lines = params_cell.source.splitlines()
    for stmt in ast.parse(params_cell.source).body:  # the comment closes each assignment
        assert "  # " in lines[stmt.end_lineno - 1], f"no comment: {ast.unparse(stmt)[:60]!r}"
    assert params["lang"] == "zh"
    assert params["policy_path"] is None and params["rules_path"] is None  # shipped files


def test_other_cells_hold_no_number_formula_or_definition() -> None:
    _, others = cells()
    declared = set(notebook_parameters(NB))
    used: set[str] = set()
    for cell in others:
        tree = ast.parse(cell.source)
        for node in ast.walk(tree):
            assert not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef
                                  | ast.Lambda), f"definition in a cell: {cell.source[:60]!r}"
            assert not isinstance(node, ast.BinOp | ast.AugAssign | ast.Compare), (
                f"formula in a cell (put it in the package): {ast.unparse(node)!r}")
            if isinstance(node, ast.Constant) and type(node.value) in (int, float):
                assert node.value in STRUCTURAL, (
                    f"number {node.value!r} outside the parameters cell: {cell.source[:60]!r}")
            if isinstance(node, ast.Name):
                used.add(node.id)
    unused = declared - used
    assert not unused, f"parameters no cell uses: {sorted(unused)}"


@pytest.mark.parametrize("threshold", sorted(THRESHOLDS))
def test_each_threshold_reaches_a_call(threshold: str) -> None:
    _, others = cells()
    calls = [node for c in others for node in ast.walk(ast.parse(c.source))
             if isinstance(node, ast.Call)]
    assert any(isinstance(n, ast.Name) and n.id == threshold
               for call in calls for n in ast.walk(call)), f"{threshold} is passed to no call"


def test_the_browsers_are_live_only() -> None:
    doc = nbformat.read(NB, as_version=4)
    for c in doc.cells:
        if "browser(" in c.source:
            assert "report-hide" in c.metadata.get("tags", []), c.source[:60]


# --- the exported report, zh and en ---------------------------------------------------------

@pytest.fixture(scope="module")
def reports(small_parameters, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    from creditkit.reporting import run_notebook

    out = tmp_path_factory.mktemp("report-04")
    found = {}
    for lang in ("zh", "en"):
        html = run_notebook(NB, {**small_parameters(NB), "lang": lang}, out / lang, timeout=300)
        found[lang] = html.read_text(encoding="utf-8")
    return found


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_report_shows_no_personal_data(reports, small_portfolio, lang: str) -> None:
    from creditkit.privacy import mask_name

    page = reports[lang]
    customers = small_portfolio["customers"]
    # the report does show customers (masked): the reminders name someone
    masked = set(mask_name(customers["name"].astype(str)))
    assert any(m in page for m in masked if len(m) > 2), "no masked name: no reminder shown?"
    leaks = [n for n in customers["name"].dropna().astype(str) if len(n) > 1 and n in page
             and n not in masked]
    assert leaks == [], f"full names in the {lang} report: {leaks[:5]}"
    for col in ("phone", "id_number"):
        shown = [v for v in customers[col].dropna().astype(str) if v and v in page]
        assert shown == [], f"{col} in the {lang} report: {shown[:3]}"
    assert not re.search(r"1[3-9]\d{9}", re.sub(r"<script.*?</script>", "", page, flags=re.S))


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_report_first_screen_and_sections(reports, lang: str) -> None:
    from creditkit.labels import label

    page = reports[lang]
    title = page.index(label("collections_report_title", lang))
    first = page.index(label("coll_sec_reconcile", lang))
    assert title < page.index('class="ck-headline"') < first
    for key in ("reminders_sent", "worklist_past_due_minor", "assigned_recovery_minor"):
        assert label(key, lang) in page[title:first]
    for key in ("coll_sec_dunning", "coll_sec_worklist", "coll_sec_channels"):
        assert label(key, lang) in page
    assert label("coll_sec_explore", lang) not in page  # the live-only section is left out
    assert page.count("plotly-graph-div") >= 6
