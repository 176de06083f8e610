"""Small shared ipywidgets views for notebooks (cells tagged ``report-hide``).

The generic views now live in :mod:`creditkit.display.widgets`; they are
re-exported here, so ``from creditkit.widgets import table_browser`` keeps working.

Examples
--------
>>> import pandas as pd
>>> view = table_browser({"bills": pd.DataFrame({"bill_id": ["B<1>"]})}, lang="en")
>>> "B&lt;1&gt;" in view.children[-1].value
True
"""

from __future__ import annotations

from creditkit.display.widgets import table_browser

__all__ = ["table_browser"]
