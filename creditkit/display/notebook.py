"""The in-notebook setup of a creditkit notebook (one call in its imports cell).

plotly's ``notebook`` renderer inlines plotly.js once per notebook, which is what a
report needs to open offline, but every figure it renders also carries a
``<script src="https://cdnjs…/mathjax/…">`` tag (plotly 5–7 hard-code
``include_mathjax="cdn"`` there). In a live JupyterLab without network that is
one failed request and one console error per figure, and no creditkit figure
uses LaTeX. :class:`creditkit.display.renderer.OfflineNotebookRenderer` is the
same renderer without any script loaded from the network; :func:`setup_notebook`
installs it under the name ``notebook``, so ``PLOTLY_RENDERER=notebook`` (what
report runs set) gets it too.
"""

from __future__ import annotations

import os
from typing import Any

import pandas as pd

__all__ = ["NO_MATH", "output_html", "setup_notebook"]

#: Classes that tell MathJax (JupyterLab's ``mathjax_ignore``, the classic notebook's and
#: ipywidgets' ``tex2jax_ignore``) to leave a fragment alone, as pandas does with
#: ``display.html.use_mathjax = False``: JupyterLab typesets the text of HTML outputs, so
#: two amounts in one cell, ``HK$10,000.00; US$20,300.00``, became a formula between the
#: two dollar signs.
NO_MATH = "tex2jax_ignore mathjax_ignore"


def output_html(fragment: str) -> Any:
    """An HTML fragment as a notebook output that is shown as written (never as a formula).

    Parameters
    ----------
    fragment : str
        Escaped HTML (a table, a headline row).

    Returns
    -------
    IPython.display.HTML
        The fragment in a ``<div class="ck-output tex2jax_ignore mathjax_ignore">``.

    Examples
    --------
    >>> output_html("<p>US$2.00; HK$1.00</p>").data
    '<div class="ck-output tex2jax_ignore mathjax_ignore"><p>US$2.00; HK$1.00</p></div>'
    """
    from IPython.display import HTML

    return HTML(f'<div class="ck-output {NO_MATH}">{fragment}</div>')


def setup_notebook() -> None:
    """Prepare a notebook kernel for creditkit reports; call once in the imports cell.

    Installs :class:`~creditkit.display.renderer.OfflineNotebookRenderer` as
    plotly's ``notebook`` renderer and makes it the default, so plotly.js is
    inlined once (the exported HTML then opens offline) and no figure requests
    MathJax from a CDN; widens pandas' display a little. Outside a Jupyter
    kernel only the pandas options are set (nothing to render to).

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

    from creditkit.display.renderer import OfflineNotebookRenderer

    os.environ["PLOTLY_RENDERER"] = "notebook"
    if not isinstance(pio.renderers["notebook"], OfflineNotebookRenderer):
        pio.renderers["notebook"] = OfflineNotebookRenderer()
    pio.renderers.default = "notebook"
