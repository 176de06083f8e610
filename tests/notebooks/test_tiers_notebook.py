"""Notebook 05 (tiers and alerts) is thin: every threshold in its parameters cell, no formula elsewhere.

The credit manager tunes the notebook through its ``parameters`` cell only (papermill
replaces it; ``creditkit report -p``): the dates, the rule files, the value-segment
settings, the tiers whose valuable customers are named and the rows shown are literals
there, with a comment; the other cells only call the package and show what it returns.
"""

from __future__ import annotations

from pathlib import Path

import nbformat

NB = Path(__file__).resolve().parents[2] / "notebooks" / "05-tiers-and-alerts.ipynb"


def test_the_live_section_comes_last_and_is_hidden() -> None:
    """The report's numbering has no gap: the widget cells are the last, tagged report-hide."""
    doc = nbformat.read(NB, as_version=4)
    tagged = ["report-hide" in c.metadata.get("tags", []) for c in doc.cells]
    first_hidden = tagged.index(True, 1)  # after the title cell
    assert all(tagged[first_hidden:]), "a shown cell after the live section"
    assert "tier_explorer" in doc.cells[-2].source
    assert "threshold_explorer" in doc.cells[-1].source
