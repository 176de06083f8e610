"""creditkit.display: the shared presentation is light and is the one place it lives."""

from __future__ import annotations

import subprocess
import sys

import pytest


def _modules_after(code: str) -> set[str]:
    out = subprocess.run(
        [sys.executable, "-c", f"{code}\nimport sys; print('\\n'.join(sys.modules))"],
        capture_output=True, text=True, check=True)
    return set(out.stdout.split())


def test_import_display_pulls_no_runner_or_exporter() -> None:
    loaded = _modules_after("import creditkit.display")
    heavy = sorted(m for m in loaded if m.split(".")[0] in ("papermill", "nbconvert"))
    assert heavy == [], "creditkit.display imports the report runner's dependencies"
    assert "creditkit.reporting" not in loaded


def test_charts_and_widgets_pull_no_runner_or_exporter() -> None:
    loaded = _modules_after("import creditkit.display.plots, creditkit.display.widgets\n"
                            "from creditkit.display import bar, table_browser")
    assert not {m for m in loaded if m.split(".")[0] in ("papermill", "nbconvert")}


@pytest.mark.parametrize(("old", "name"), [
    ("creditkit.reporting", "table_html"), ("creditkit.reporting", "show_table"),
    ("creditkit.reporting", "heading"), ("creditkit.reporting", "note"),
    ("creditkit.reporting", "prose_html"), ("creditkit.reporting", "setup_notebook"),
    ("creditkit.plots", "bar"), ("creditkit.plots", "line"), ("creditkit.plots", "heatmap"),
    ("creditkit.plots", "histogram"), ("creditkit.widgets", "table_browser"),
])
def test_former_homes_re_export_the_same_object(old: str, name: str) -> None:
    import importlib

    import creditkit.display as display

    assert getattr(importlib.import_module(old), name) is getattr(display, name)


def test_unknown_attribute_is_an_attribute_error() -> None:
    import creditkit.display as display

    with pytest.raises(AttributeError, match="no_such_name"):
        display.no_such_name  # noqa: B018
    assert "bar" in dir(display) and "table_browser" in dir(display)
