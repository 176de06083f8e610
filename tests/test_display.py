"""creditkit.display: the shared presentation is light and is the one place it lives."""

from __future__ import annotations

import re
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


def test_yes_no_cells_speak_the_report_language() -> None:
    import pandas as pd

    from creditkit.display import table_html

    df = pd.DataFrame({"prepay": [True, False], "restricted": pd.Series([False, None],
                                                                        dtype=object)})
    zh, en = table_html(df, lang="zh"), table_html(df, lang="en")
    assert "True" not in zh + en and "False" not in zh + en
    assert zh.count("<td>是</td>") == 1 and zh.count("<td>否</td>") == 2
    assert en.count("<td>Yes</td>") == 1 and en.count("<td>No</td>") == 2
    assert en.count("<td></td>") == 1  # an empty yes/no cell stays empty


def test_code_block_is_escaped_and_marked_as_code() -> None:
    import pytest

    from creditkit.display import code_block
    from creditkit.exceptions import ParameterError

    html = code_block('SELECT "a" < 1').data
    assert html == '<pre class="ck-code"><code>SELECT &quot;a&quot; &lt; 1</code></pre>'
    with pytest.raises(ParameterError, match="listing as str"):
        code_block(1)


def test_headline_formats_figures_like_table_cells() -> None:
    import pandas as pd

    from creditkit.display import headline, table_html

    figs = {"outstanding_minor": 72_400_000_123, "bad_rate": 0.1234, "customers": 20000,
            "auc": 0.75123, "psi": None, "as_of": "2025-12-31"}
    for lang in ("zh", "en"):
        out = headline(figs, lang=lang).data
        row = table_html(pd.DataFrame({k: [v] for k, v in figs.items() if v is not None
                                       and not isinstance(v, str)}), lang=lang)
        # the same text as the table formatter gives each figure
        for cell in re.findall(r'<td class="ck-num">([^<]*)</td>', row):
            assert f">{cell}</div>" in out
        assert "12.3%" in out and "20,000" in out and ">–</div>" in out
        assert ">2025-12-31</div>" in out
    assert "坏账率" in headline(figs, lang="zh").data
    assert "Bad rate" in headline(figs, lang="en").data
    # order kept, names escaped
    out = headline({"customers": 1, "<b>": "<i>"}, lang="en").data
    assert out.index("Customers") < out.index("&lt;b&gt;") and "<i>" not in out


@pytest.mark.parametrize("figs, match", [
    ({}, "non-empty mapping"),
    ([("auc", 0.7)], "non-empty mapping"),
    ({1: 0.7}, "label keys"),
    ({"outstanding_minor": 12.5}, "integer minor units"),
])
def test_headline_refuses_bad_figures(figs, match: str) -> None:
    from creditkit.display import headline
    from creditkit.exceptions import ParameterError

    with pytest.raises(ParameterError, match=match):
        headline(figs, lang="en")
