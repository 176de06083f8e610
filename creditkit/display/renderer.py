"""plotly's notebook renderer without remote scripts (imported on first use: it loads plotly).

See :func:`creditkit.display.setup_notebook`, which installs it.
"""

from __future__ import annotations

import re

from plotly.io.base_renderers import NotebookRenderer

__all__ = ["OfflineNotebookRenderer"]

#: A ``<script src="http…">`` tag: something the browser would fetch from the network.
_REMOTE_SCRIPT = re.compile(r'<script[^>]*\ssrc="(?:https?:)?//[^"]*"[^>]*>\s*</script>', re.I)


class OfflineNotebookRenderer(NotebookRenderer):
    """plotly's ``notebook`` renderer that never asks the network for a script.

    plotly.js is inlined once per notebook (as with ``notebook``); the MathJax
    ``<script src>`` that plotly adds to every figure is left out, so a figure
    in a live notebook or an exported report makes no request at all. Figures
    with LaTeX titles would show them as plain text: creditkit has none.

    Examples
    --------
    >>> import plotly.graph_objects as go
    >>> html = OfflineNotebookRenderer().to_mimebundle(go.Figure().to_dict())["text/html"]
    >>> "mathjax/" in html.lower(), "https://" in html, "<script src=" in html
    (False, False, False)
    """

    def to_mimebundle(self, fig_dict: dict) -> dict:
        """The ``text/html`` bundle of ``fig_dict`` without remote scripts."""
        bundle = super().to_mimebundle(fig_dict)
        bundle["text/html"] = _REMOTE_SCRIPT.sub("", bundle["text/html"])
        return bundle
