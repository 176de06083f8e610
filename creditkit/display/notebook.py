"""The in-notebook setup of a creditkit notebook (one call in its imports cell)."""

from __future__ import annotations

import os

import pandas as pd

__all__ = ["setup_notebook"]


def setup_notebook() -> None:
    """Prepare a notebook kernel for creditkit reports; call once in the imports cell.

    Sets ``plotly.io.renderers.default = "notebook"`` so plotly.js is inlined once
    (the exported HTML then opens offline) and widens pandas' display a little.
    Outside a Jupyter kernel only the pandas options are set (nothing to render to).

    Returns
    -------
    None

    Examples
    --------
    >>> setup_notebook()  # outside a kernel: harmless
    """
    pd.set_option("display.max_columns", 50)
    pd.set_option("display.width", 120)
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - ipykernel is a dependency
        return
    shell = get_ipython()
    if shell is None or not hasattr(shell, "kernel"):
        return
    import plotly.io as pio

    os.environ["PLOTLY_RENDERER"] = "notebook"
    pio.renderers.default = "notebook"
