"""Every notebook in notebooks/ runs as a report with small parameters and exports cleanly."""

from __future__ import annotations

import json
import re
from pathlib import Path

import nbformat
import pytest

from creditkit.reporting import REPORT_HIDE_TAG

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"
ALL = sorted(NOTEBOOKS.glob("*.ipynb"))


def test_there_are_notebooks() -> None:
    assert (NOTEBOOKS / "00-portfolio-overview.ipynb") in ALL


@pytest.mark.parametrize("nb", ALL, ids=[p.stem for p in ALL])
def test_notebook_is_committed_without_outputs(nb: Path) -> None:
    doc = nbformat.read(nb, as_version=4)
    code = [c for c in doc.cells if c.cell_type == "code"]
    assert all(not c.outputs and c.execution_count is None for c in code)
    assert sum("parameters" in c.metadata.get("tags", []) for c in code) == 1


@pytest.mark.parametrize("nb", ALL, ids=[p.stem for p in ALL])
def test_notebook_exports_a_clean_report(nb: Path, small_parameters, notebook_reports) -> None:
    params = small_parameters(nb)
    html = notebook_reports.export(nb, params)  # run_notebook, shared with the other tests
    page = html.read_text(encoding="utf-8")

    code_cells = re.findall(r'<div class="(jp-Cell jp-CodeCell[^"]*)"', page)
    assert code_cells and all("jp-mod-noInput" in c for c in code_cells), "code input shown"

    blob = re.search(r'id="creditkit-manifest-json"[^>]*>(.*?)</script>', page)
    assert blob, "manifest missing"
    manifest = json.loads(blob.group(1))
    assert manifest["notebook"] == nb.name
    assert all(manifest["parameters"][k] == (Path(v).name if k.endswith("_path") else v)
               for k, v in params.items())  # the small store is outside the project: its name
    if "store_path" in params:
        assert manifest["data_fingerprint"]

    hidden = [c.get("id") for c in nbformat.read(nb, as_version=4).cells
              if REPORT_HIDE_TAG in c.metadata.get("tags", [])]
    assert all(f'id="cell-id={cid}"' not in page for cid in hidden if cid)

    assert re.findall(r'<script[^>]+src="https?:', page) == [], "script from the network"
    if "plotly-graph-div" in page:
        assert page.count("window.Plotly = Plotly") == 1, "plotly.js not inlined exactly once"
    assert not (html.parent / f"{nb.stem}.failed.ipynb").exists()
