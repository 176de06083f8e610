"""Every notebook is thin: its thresholds are commented literals of the parameters cell, and
the other cells only call the package and show what it returns.

The reader tunes a notebook through its ``parameters`` cell only (papermill replaces it;
``creditkit report -p``): every number that changes what the report says is a literal there,
with a comment, and reaches a call; no other cell defines a function or class, computes a
formula, or holds a number (``STRUCTURAL`` allows the heading levels).
"""

from __future__ import annotations

import ast
from pathlib import Path

import nbformat
import pytest

from creditkit.reporting import notebook_parameters

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"
#: Per notebook: the thresholds and settings its reader expects to find as parameters, and
#: the numbers a call may hold that are no threshold (heading levels).
THIN: dict[str, tuple[set[str], set[int]]] = {
    "04-collections": (
        {'auto_apply_level', 'capacity', 'collectors', 'currency', 'dunning_runs', 'policy_path',
         'rows_per_group', 'rules_path', 'run_every_days', 'window_days'},
        {1}),
    "05-tiers-and-alerts": (
        {'alert_rules_path', 'compare_to', 'horizon_days', 'k_range', 'max_table_rows',
         'n_backtest_dates', 'rfm_bins', 'rfm_window_months', 'silhouette_sample', 'sweep_rule',
         'sweep_values', 'tag_rules_path', 'tier_rules_path', 'tiers_at_risk',
         'top_overlap_tags', 'top_tags', 'value_rules_path'},
        {1, 3}),
    "06-restricted-customers": (
        {'dunning_runs', 'dunning_step_days', 'max_table_rows', 'order_days', 'period_months',
         'plan_grace_days', 'plan_instalments', 'policy_file', 'rules_file'},
        {1}),
    "07-portfolio-review": (
        {'allocation', 'driver_by', 'months_of_history', 'score_bands', 'top_n', 'vintage_dpd'},
        {1}),
    "08-credit-file": (
        {'history_months', 'mask', 'max_table_rows', 'n_payments', 'picker_customers'},
        {1}),
    "09-behaviour-scores": (
        {'app_max_pvalue', 'bad_dpd', 'base_odds', 'base_score', 'c_features', 'cure_days',
         'horizon_months', 'max_table_rows', 'min_bin_share', 'n_bands', 'n_dates', 'n_oot',
         'n_reason_rows', 'n_reasons', 'pdo', 'windows'},
        {1}),
}
CASES = [(nb, t) for nb, (thresholds, _) in THIN.items() for t in sorted(thresholds)]


def cells(name: str) -> tuple[nbformat.NotebookNode, list[nbformat.NotebookNode]]:
    doc = nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)
    code = [c for c in doc.cells if c.cell_type == "code"]
    params = [c for c in code if "parameters" in c.metadata.get("tags", [])]
    assert len(params) == 1
    return params[0], [c for c in code if c is not params[0]]


@pytest.mark.parametrize("name", sorted(THIN))
def test_every_threshold_is_a_commented_literal_of_the_parameters_cell(name: str) -> None:
    params_cell, _ = cells(name)
    params = notebook_parameters(NOTEBOOKS / f"{name}.ipynb")  # raises unless all literals
    missing = THIN[name][0] - set(params)
    assert not missing, f"{name}: missing parameters: {sorted(missing)}"
    lines = params_cell.source.splitlines()
    for stmt in ast.parse(params_cell.source).body:  # the comment closes each assignment
        assert "  # " in lines[stmt.end_lineno - 1], f"no comment: {ast.unparse(stmt)[:60]!r}"
    assert params["lang"] == "zh"


@pytest.mark.parametrize("name", sorted(THIN))
def test_other_cells_hold_no_number_formula_or_definition(name: str) -> None:
    _, others = cells(name)
    structural = THIN[name][1]
    used: set[str] = set()
    for cell in others:
        for node in ast.walk(ast.parse(cell.source)):
            assert not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef
                                  | ast.Lambda), f"definition in a cell: {cell.source[:60]!r}"
            assert not isinstance(node, ast.BinOp | ast.AugAssign | ast.Compare), (
                f"formula in a cell (put it in the package): {ast.unparse(node)!r}")
            if isinstance(node, ast.Constant) and type(node.value) in (int, float):
                assert node.value in structural, (
                    f"number {node.value!r} outside the parameters cell: {cell.source[:60]!r}")
            if isinstance(node, ast.Name):
                used.add(node.id)
    unused = set(notebook_parameters(NOTEBOOKS / f"{name}.ipynb")) - used
    assert not unused, f"{name}: parameters no cell uses: {sorted(unused)}"


@pytest.mark.parametrize(("name", "threshold"), CASES)
def test_each_threshold_reaches_a_call(name: str, threshold: str) -> None:
    _, others = cells(name)
    calls = [node for c in others for node in ast.walk(ast.parse(c.source))
             if isinstance(node, ast.Call)]
    assert any(isinstance(n, ast.Name) and n.id == threshold
               for call in calls for n in ast.walk(call)), f"{threshold} is passed to no call"


def test_every_notebook_past_the_first_four_is_listed() -> None:
    names = {p.stem for p in NOTEBOOKS.glob("*.ipynb")}
    assert names - {"00-portfolio-overview", "01-data-quality", "02-scorecard",
                    "03-repayment-tracking"} == set(THIN)
