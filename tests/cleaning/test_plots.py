"""Figures of data intake."""

from __future__ import annotations

import pandas as pd
import pytest

from creditkit.cleaning import plots
from creditkit.exceptions import ParameterError

REASONS = pd.DataFrame({"file": ["a.csv", "a.csv", "b.csv"],
                        "reason": ["empty_row", "invalid_phone", "empty_row"],
                        "rows": [2, 1, 4]})
QUALITY = pd.DataFrame({"file": ["a.csv", "b.csv"], "column": ["phone", "phone"],
                        "completeness_rate": [1.0, 0.5], "validity_rate": [0.5, 1.0],
                        "uniqueness_rate": [1.0, 1.0]})


def test_quarantine_chart_stacks_files_and_labels_reasons() -> None:
    fig = plots.quarantine_chart(REASONS, lang="zh")
    assert [t.name for t in fig.data] == ["a.csv", "b.csv"]
    assert list(fig.data[0].y) == ["空行", "电话号码无效"] and list(fig.data[0].x) == [2, 1]
    assert fig.layout.barmode == "stack"


def test_quality_chart_plots_the_rate_asked() -> None:
    fig = plots.quality_chart(QUALITY, rate="completeness_rate", lang="en")
    assert [list(t.y) for t in fig.data] == [[1.0], [0.5]]
    assert list(fig.data[0].x) == ["Phone"]


def test_input_not_mutated() -> None:
    before = REASONS.copy()
    plots.quarantine_chart(REASONS, lang="en")
    pd.testing.assert_frame_equal(REASONS, before)


def test_errors() -> None:
    with pytest.raises(ParameterError, match="rate must be one of"):
        plots.quality_chart(QUALITY, rate="speed")
    with pytest.raises(ParameterError):
        plots.quarantine_chart(REASONS.drop(columns="file"))
