"""Run parameterised notebooks and export them as offline HTML review reports.

A report is a notebook executed with papermill (cwd = the notebook's folder,
an execution timeout) and exported with nbconvert: code hidden
(``exclude_input``), cells tagged ``report-hide`` removed, plotly figures
rendered with plotly.js inlined once (``PLOTLY_RENDERER=notebook``), no
require.js/MathJax from a CDN, and a manifest block at the top (notebook,
parameters, as_of, data fingerprint, creditkit version, run time). Path
parameters are shown relative to the project, never as a machine's absolute path.

The executed ``.ipynb`` is discarded on success (the HTML is the artefact; it
already holds every output) unless ``keep_ipynb=True`` (``<name>.executed.ipynb``).
On failure it is kept as ``<name>.failed.ipynb`` next to where the HTML would
have gone, for debugging.

What a notebook shows while it runs (escaped tables, headings, notes, charts,
the notebook setup) is :mod:`creditkit.display`; ``heading``, ``note``,
``prose_html``, ``show_table``, ``table_html`` and ``setup_notebook`` are
re-exported here so earlier imports keep working.

Examples
--------
>>> import pandas as pd
>>> html = table_html(pd.DataFrame({"name": ["<script>x</script>"]}), lang="en")
>>> "&lt;script&gt;" in html and "<script>" not in html
True
"""

from __future__ import annotations

from creditkit.display import heading, note, prose_html, setup_notebook, show_table, table_html
from creditkit.reporting._export import REPORT_HIDE_TAG, write_index
from creditkit.reporting._manifest import data_fingerprint, notebook_parameters
from creditkit.reporting._run import run_all, run_notebook

__all__ = [
    "REPORT_HIDE_TAG",
    "data_fingerprint",
    "heading",
    "note",
    "notebook_parameters",
    "prose_html",
    "run_all",
    "run_notebook",
    "setup_notebook",
    "show_table",
    "table_html",
    "write_index",
]
