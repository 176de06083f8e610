"""Notebook 06 (restricted customers) is thin: every threshold in its parameters cell, no formula elsewhere.

The credit manager tunes the notebook through its ``parameters`` cell only (papermill
replaces it; ``creditkit report -p``): every number that changes what the report says
(period, order window, dunning runs, plan instalments and grace, rows shown) is a literal there,
with a comment; the other cells only call the package and show what it returns.
"""

from __future__ import annotations

import ast
from pathlib import Path

import nbformat
import pytest

from creditkit.reporting import notebook_parameters

NB = Path(__file__).resolve().parents[2] / "notebooks" / "06-restricted-customers.ipynb"
#: Numbers a call may hold that are no threshold: the title's heading level.
STRUCTURAL = {1}
#: The thresholds and settings a credit manager expects to find as parameters.
THRESHOLDS = {"period_months", "rules_file", "policy_file", "order_days", "dunning_runs",
              "dunning_step_days", "plan_instalments", "plan_grace_days", "max_table_rows"}


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
