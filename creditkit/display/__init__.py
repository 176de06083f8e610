"""Shared presentation of notebooks and reports: escaped tables, headings, notes, charts.

Everything a concept's ``plots`` and ``widgets`` modules and a running notebook
share lives here, labelled through :mod:`creditkit.labels` and escaped:

- :mod:`~creditkit.display.tables`: :func:`table_html`, :func:`show_table`
  (money in the row's currency, percentages, every cell escaped), :func:`headline`
  (a report's first screen: its headline figures as one compact row);
- :mod:`~creditkit.display.text`: :func:`heading`, :func:`note`, :func:`prose_html`
  (a notebook's words in its ``lang``);
- :mod:`~creditkit.display.notebook`: :func:`setup_notebook` (plotly renderer);
- :mod:`~creditkit.display.plots`: the generic charts :func:`bar`, :func:`line`,
  :func:`heatmap`, :func:`histogram` and the helpers concept charts build on;
- :mod:`~creditkit.display.widgets`: :func:`table_browser`.

Importing this package is light: no papermill or nbconvert (running and
exporting reports is :mod:`creditkit.reporting`), and plotly and ipywidgets are
imported on first use of a chart or a widget.

Examples
--------
>>> import pandas as pd
>>> html = table_html(pd.DataFrame({"name": ["<script>x</script>"]}), lang="en")
>>> "&lt;script&gt;" in html and "<script>" not in html
True
"""

from __future__ import annotations

import importlib
from typing import Any

from creditkit.display.notebook import setup_notebook
from creditkit.display.tables import headline, headline_html, show_table, table_html
from creditkit.display.text import code_block, heading, note, prose_html

__all__ = [
    "bar",
    "code_block",
    "heading",
    "headline",
    "headline_html",
    "heatmap",
    "histogram",
    "line",
    "note",
    "prose_html",
    "setup_notebook",
    "show_table",
    "table_browser",
    "table_html",
]

# name -> the module that owns it, imported on first use (PEP 562): plotly and ipywidgets
_LAZY = {
    "bar": "creditkit.display.plots",
    "line": "creditkit.display.plots",
    "heatmap": "creditkit.display.plots",
    "histogram": "creditkit.display.plots",
    "table_browser": "creditkit.display.widgets",
}


def __getattr__(name: str) -> Any:
    owner = _LAZY.get(name)
    if owner is None:
        raise AttributeError(f"module 'creditkit.display' has no attribute {name!r}")
    value = getattr(importlib.import_module(owner), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})
