"""Run parameterised notebooks and export them as offline HTML review reports.

A report is a notebook executed with papermill (cwd = the notebook's folder,
an execution timeout) and exported with nbconvert: code hidden
(``exclude_input``), cells tagged ``report-hide`` removed, plotly figures
rendered with plotly.js inlined once (``PLOTLY_RENDERER=notebook``), no
require.js/MathJax from a CDN, and a manifest block at the top (notebook,
parameters, as_of, data fingerprint, creditkit version, run time).

The executed ``.ipynb`` is discarded on success (the HTML is the artefact; it
already holds every output) unless ``keep_ipynb=True`` (``<name>.executed.ipynb``).
On failure it is kept as ``<name>.failed.ipynb`` next to where the HTML would
have gone, for debugging.

Strings that came from data reach the report escaped: tables go through
:func:`table_html` / :func:`show_table` (``html.escape`` on every cell and
header); plotly escapes ``<`` in its JSON and draws text as SVG text nodes.

Examples
--------
>>> import pandas as pd
>>> html = table_html(pd.DataFrame({"name": ["<script>x</script>"]}), lang="en")
>>> "&lt;script&gt;" in html and "<script>" not in html
True
"""

from __future__ import annotations

from creditkit.reporting._html import (
    REPORT_HIDE_TAG,
    heading,
    note,
    prose_html,
    show_table,
    table_html,
    write_index,
)
from creditkit.reporting._run import (
    data_fingerprint,
    notebook_parameters,
    run_all,
    run_notebook,
    setup_notebook,
)

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
