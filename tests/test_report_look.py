"""How reports look (issue 16 items 6 and 7): offline figures, clean git, one structure.

- a figure in a live notebook asks the network for nothing (no MathJax from a CDN);
- ``make lab`` installs nbstripout as the git filter, so a run notebook commits clean;
- every notebook numbers its sections the same way (``1.``, ``2.``, ``2.1`` …, from the
  label table, in both languages) and opens with a headline of figures for its reader;
- every chart builder places its legend above the plot or on its right, never between
  an axis and its labels, and writes numeric ticks as plotly's round steps in full.
"""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pandas as pd
import plotly.graph_objects as go
import pytest

from creditkit.labels import LABELS

REPO = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((REPO / "notebooks").glob("*.ipynb"))
#: Notebooks whose first screen this branch builds (02's is tests/scoring's).
FIRST_SCREEN = ("00-portfolio-overview", "01-data-quality", "03-repayment-tracking",
                "04-collections", "07-portfolio-review")


# --- item 6: offline figures, outputs kept out of git ---------------------------------------

def test_setup_notebook_renders_figures_without_remote_scripts(monkeypatch) -> None:
    import IPython
    import plotly.io as pio

    from creditkit.display import setup_notebook

    class Kernel:  # what setup_notebook looks for: a shell with a kernel
        kernel = object()

    before = pio.renderers.default, pio.renderers["notebook"]
    monkeypatch.setattr(IPython, "get_ipython", lambda: Kernel())
    try:
        setup_notebook()
        renderer = pio.renderers[pio.renderers.default]
        page = renderer.to_mimebundle(go.Figure(go.Bar(x=["a"], y=[1])).to_dict())["text/html"]
    finally:
        pio.renderers["notebook"] = before[1]
        pio.renderers.default = before[0]
    assert pio.renderers.default == before[0]
    assert 'class="plotly-graph-div"' in page, "the figure itself must still be drawn"
    assert not re.search(r"<script[^>]*\ssrc=", page), "a script is loaded from elsewhere"
    assert "mathjax/" not in page.lower() and "https://" not in page


@pytest.mark.skipif(shutil.which("git") is None or shutil.which("make") is None,
                    reason="needs git and make")
def test_make_lab_installs_nbstripout_so_outputs_never_reach_git(tmp_path: Path) -> None:
    pytest.importorskip("nbstripout", reason="the lab extra is not installed")
    bin_dir = Path(sys.executable).parent
    run = {"cwd": tmp_path, "check": True, "capture_output": True, "text": True}
    subprocess.run(["git", "init", "-q"], **run)
    subprocess.run(["make", "-f", str(REPO / "Makefile"), "strip-outputs", f"BIN={bin_dir}"],
                   **run)
    nb = nbformat.read(NOTEBOOKS[0], as_version=4)
    ids = [c.id for c in nb.cells]
    code = next(c for c in nb.cells if c.cell_type == "code")
    code.execution_count = 3
    code.outputs = [nbformat.v4.new_output("display_data", data={"text/html": "<b>5 MB</b>"})]
    nbformat.write(nb, tmp_path / "book.ipynb")
    subprocess.run(["git", "add", "book.ipynb"], **run)
    stored = subprocess.run(["git", "show", ":book.ipynb"], **run).stdout
    kept = nbformat.reads(stored, as_version=4)
    assert all(not c.outputs and c.execution_count is None
               for c in kept.cells if c.cell_type == "code")
    assert [c.id for c in kept.cells] == ids, "cell ids must stay those committed"
    assert "5 MB" not in stored
    # the working copy keeps its outputs: only what git stores is stripped
    assert "5 MB" in (tmp_path / "book.ipynb").read_text(encoding="utf-8")
    # committed, then run again (new outputs, as JupyterLab autosaves): git sees no change in
    # content (git status lists the file until the next `git add`, which stages nothing: git
    # compares file sizes before it runs the filter)
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "nb"],
                   **run)
    code.outputs = [nbformat.v4.new_output("display_data", data={"text/html": "<b>again</b>"})]
    nbformat.write(nb, tmp_path / "book.ipynb")
    assert subprocess.run(["git", "diff", "--stat"], **run).stdout == ""
    subprocess.run(["git", "add", "book.ipynb"], **run)
    assert subprocess.run(["git", "status", "--porcelain"], **run).stdout == ""


def test_lab_extra_lists_nbstripout() -> None:
    text = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    lab = re.search(r"^lab = \[(.*?)\]", text, re.M | re.S)
    assert lab and "nbstripout" in lab.group(1)


# --- item 7: one structure in every notebook ------------------------------------------------

def _calls(nb_path: Path) -> list[tuple[str, str | None, int, list[str]]]:
    """(function, first literal argument, level, cell tags) of each top-level call, in order."""
    out = []
    for cell in nbformat.read(nb_path, as_version=4).cells:
        if cell.cell_type != "code":
            continue
        for node in ast.walk(ast.parse(cell.source)):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                arg = node.args[0] if node.args else None
                key = arg.value if isinstance(arg, ast.Constant) else None
                level = next((k.value.value for k in node.keywords if k.arg == "level"), 2)
                out.append((node.func.id, key, level, cell.metadata.get("tags", [])))
    return out


def _number(text: str) -> tuple[int, ...] | None:
    m = re.match(r"(\d+(?:\.\d+)*)\.? ", text)
    return tuple(int(p) for p in m.group(1).split(".")) if m else None


def _expected_next(prev: tuple[int, ...] | None, got: tuple[int, ...]) -> bool:
    if prev is None:
        return got == (1,)
    if len(got) == 1:
        return got == (prev[0] + 1,)
    if len(got) == 2:  # 2.1 after 2 or 2.x; 2.(x+1) after 2.x
        sub = prev[1] if len(prev) == 2 else 0
        return got == (prev[0], sub + 1)
    return False


@pytest.mark.parametrize("nb", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_sections_are_numbered_the_same_way_in_both_languages(nb: Path) -> None:
    headings = [(key, level) for fn, key, level, _ in _calls(nb) if fn == "heading"]
    assert headings and headings[0][1] == 1, f"{nb.stem}: starts with a level-1 title"
    assert _number(LABELS[headings[0][0]]["en"]) is None, "the title is not numbered"
    sections = [key for key, level in headings if level == 2]
    assert len(sections) >= 3
    for lang in ("zh", "en"):
        prev = None
        for key in sections:
            assert key in LABELS, f"{nb.stem}: heading {key!r} is not in the label table"
            got = _number(LABELS[key][lang])
            assert got is not None, f"{nb.stem} ({lang}): {LABELS[key][lang]!r} has no number"
            assert _expected_next(prev, got), (
                f"{nb.stem} ({lang}): {LABELS[key][lang]!r} follows section {prev}")
            prev = got
    numbers = [[_number(LABELS[k][lang]) for k in sections] for lang in ("zh", "en")]
    assert numbers[0] == numbers[1]


@pytest.mark.parametrize("name", FIRST_SCREEN)
def test_first_screen_is_a_headline_for_the_reader(name: str) -> None:
    calls = _calls(REPO / "notebooks" / f"{name}.ipynb")
    names = [fn for fn, *_ in calls]
    title = next(i for i, (fn, _, level, _) in enumerate(calls) if fn == "heading" and level == 1)
    first = next(i for i, (fn, _, level, _) in enumerate(calls) if fn == "heading" and level == 2)
    assert "headline" in names[title:first], f"{name}: no headline between title and section 1"
    hidden = [key for fn, key, _, tags in calls if fn == "heading" and "report-hide" in tags]
    shown = [key for fn, key, level, tags in calls
             if fn == "heading" and level == 2 and "report-hide" not in tags]
    # a live-only section may come last only: the report's numbering then has no gap
    if hidden:
        order = [key for fn, key, level, _ in calls if fn == "heading" and level == 2]
        assert order[-len(hidden):] == hidden and order[:len(shown)] == shown


def test_headlines_of_00_and_03_show_one_book(small_portfolio, portfolio_as_of: str) -> None:
    from creditkit import aging, overview

    t = small_portfolio
    manager = overview.portfolio_headline(t, as_of=portfolio_as_of, currency="CNY")
    lead = aging.collections_headline(t["bills"], t["payments"], as_of=portfolio_as_of,
                                      currency="CNY")
    bridge = aging.balance_bridge(t["bills"], t["payments"], as_of=portfolio_as_of)
    row = bridge.loc[bridge["currency"] == "CNY"].iloc[0]
    assert manager["gross_outstanding_minor"] == lead["gross_outstanding_minor"] \
        == int(row["outstanding_minor"])
    assert manager["net_balance_minor"] == int(row["net_balance_minor"])
    summary = aging.portfolio_aging(t["bills"], t["payments"], as_of=portfolio_as_of)
    cny = summary.loc[summary["currency"] == "CNY"]
    current = int(cny.loc[cny["bucket"].astype(str) == "current", "outstanding_minor"].sum())
    assert lead["past_due_minor"] == int(cny["outstanding_minor"].sum()) - current
    assert manager["past_due_share"] == pytest.approx(
        lead["past_due_minor"] / lead["gross_outstanding_minor"])
    assert 0 <= manager["dpd90_share"] <= manager["dpd30_share"] <= manager["past_due_share"]
    on_file = overview.portfolio_summary(t, as_of=portfolio_as_of)["n_customers_on_file"]
    assert manager["n_customers_on_file"] == int(on_file.iloc[0])


# --- item 7: legends and ticks of every chart builder ---------------------------------------

def _figures(small_portfolio, as_of: str) -> dict[str, go.Figure]:
    from creditkit import aging, overview
    from creditkit.aging import plots as aging_plots
    from creditkit.cleaning import plots as cleaning_plots
    from creditkit.display import plots
    from creditkit.overview import plots as overview_plots

    t = small_portfolio
    bills, payments = t["bills"], t["payments"]
    history = aging.aging_at_dates(bills, payments, dates=aging.last_month_ends(as_of, 4),
                                   buckets="m")
    df = pd.DataFrame({"region": ["A", "A", "B"], "product": ["bnpl", "b2b", "bnpl"],
                       "amount_minor": [52566, 1234500, 99], "dpd": [1, 40, 95]})
    months = pd.DataFrame({"month": pd.to_datetime(["2025-01-01", "2025-02-01"]),
                           "billed_minor": [100, 200], "paid_minor": [50, 150]})
    return {
        "bar": plots.bar(df, "region", "amount_minor", color="product", lang="zh"),
        "line": plots.line(months, "month", ["billed_minor", "paid_minor"], lang="zh"),
        "heatmap": plots.heatmap(pd.DataFrame([[0.5]], index=["M0"], columns=["M1"])),
        "histogram": plots.histogram(df, "dpd", color="product"),
        "balances": overview_plots.balances_chart(
            overview.balances_by(t, ["product", "region"], as_of=as_of)),
        "issued_paid": overview_plots.issued_paid_chart(
            overview.issued_paid_by_month(t, as_of=as_of)),
        "channel_mix": overview_plots.channel_mix_chart(overview.channel_mix(t, as_of=as_of)),
        "aging": aging_plots.aging_chart(aging.portfolio_aging(bills, payments, as_of=as_of)),
        "aging_trend": aging_plots.aging_trend_chart(history),
        "roll": aging_plots.roll_rate_heatmap(aging.roll_rate_matrix(aging.roll_rates(history))),
        "flow": aging_plots.flow_rate_chart(aging.flow_rates(history)),
        "vintage": aging_plots.vintage_chart(aging.vintage(bills, payments, as_of=as_of,
                                                           max_mob=6)),
        "dso_cei": aging_plots.dso_cei_chart(aging.collection_metrics(
            bills, payments, dates=aging.last_month_ends(as_of, 3, opening=True))),
        "quarantine": cleaning_plots.quarantine_chart(pd.DataFrame(
            {"file": ["a.csv", "b.csv"], "reason": ["empty_row", "empty_row"], "rows": [3, 1]})),
        "quality": cleaning_plots.quality_chart(pd.DataFrame(
            {"file": ["a.csv"], "column": ["phone"], "validity_rate": [0.5]})),
    }


@pytest.fixture(scope="module")
def figures(small_portfolio, portfolio_as_of: str) -> dict[str, go.Figure]:
    return _figures(small_portfolio, portfolio_as_of)


def _axes(fig: go.Figure) -> dict[str, object]:
    full = fig.layout.to_plotly_json()
    return {k: getattr(fig.layout, k) for k in full if re.fullmatch(r"[xy]axis\d*", k)}


def test_legends_sit_above_the_plot_or_on_its_right(figures: dict[str, go.Figure]) -> None:
    for name, fig in figures.items():
        legend = fig.layout.legend
        if legend.orientation == "h":
            assert legend.y is not None and legend.y >= 1 and legend.yanchor == "bottom", name
        else:
            assert legend.x is not None and legend.x >= 1 and legend.xanchor == "left", name
        entries = sum(1 for t in fig.data if t.showlegend is not False)
        if fig.layout.showlegend is not False and 1 < entries <= 3 and not any(
                t.type == "heatmap" for t in fig.data):
            assert legend.orientation == "h", f"{name}: a short legend goes in one row above"


def test_a_legend_set_below_the_plot_is_moved_above() -> None:
    from creditkit.display.plots import style_figure

    fig = go.Figure([go.Bar(x=["a"], y=[1], name="p"), go.Bar(x=["a"], y=[2], name="q")])
    fig.update_layout(legend={"orientation": "h", "y": -0.2})  # under the x axis
    legend = style_figure(fig, "t").layout.legend
    assert legend.y >= 1 and legend.yanchor == "bottom"
    assert fig.layout.margin.t >= 80, "room for the title and the legend row"


def test_long_legends_go_to_the_right() -> None:
    from creditkit.display.plots import LEGEND_ROW_MAX, style_figure

    fig = go.Figure([go.Scatter(x=[1], y=[i], name=f"v{i}") for i in range(LEGEND_ROW_MAX + 1)])
    legend = style_figure(fig, None).layout.legend
    assert legend.orientation == "v" and legend.x >= 1


def test_numeric_ticks_are_round_steps_written_in_full(figures: dict[str, go.Figure]) -> None:
    for name, fig in figures.items():
        for axis_name, axis in _axes(fig).items():
            assert axis.tickvals is None, f"{name} {axis_name}: ticks at data values"
            assert axis.dtick is None or str(axis.dtick).startswith("M") or (
                float(axis.dtick) == round(float(axis.dtick), 0)), f"{name} {axis_name}"
            assert axis.exponentformat == "none", f"{name} {axis_name}: 12M, not 12,000,000"
            assert axis.separatethousands is True, f"{name} {axis_name}"


def test_rates_and_money_keep_their_tick_formats(figures: dict[str, go.Figure]) -> None:
    assert figures["flow"].layout.yaxis.tickformat == ".0%"
    assert figures["dso_cei"].layout.yaxis2.tickformat == ".0%"
    assert figures["dso_cei"].layout.yaxis2.exponentformat == "none"
    assert figures["issued_paid"].layout.xaxis.tickformat == "%Y-%m"


def test_tables_and_headlines_are_never_typeset_as_formulas() -> None:
    # JupyterLab typesets the text of HTML outputs: "HK$10,000.00; US$20,300.00" showed
    # the part between the two dollar signs as an italic formula (found by the lab scan)
    from creditkit.display import headline, show_table

    money = pd.DataFrame({"currency": ["HKD", "USD"], "amount_minor": [1000000, 2030000]})
    for out in (show_table(money, lang="en").data,
                headline({"money_in": "HK$10,000.00; US$20,300.00"}, lang="en").data):
        assert "HK$10,000.00" in out or "US$20,300.00" in out
        assert re.match(r'<div class="[^"]*\bmathjax_ignore\b[^"]*\btex2jax_ignore\b|'
                        r'<div class="[^"]*\btex2jax_ignore\b[^"]*\bmathjax_ignore\b', out)


def test_dates_never_show_english_month_names(figures: dict[str, go.Figure]) -> None:
    # plotly reads "2025-01" texts as dates and writes their ticks "Jan 2025", in English
    # even in a zh report (found by the lab scan of 03)
    for name in ("aging_trend", "flow", "dso_cei"):
        assert figures[name].layout.xaxis.type == "category", name
    for name, fig in figures.items():
        for axis_name, axis in _axes(fig).items():
            assert not re.search(r"%[bBaA]", axis.tickformat or ""), f"{name} {axis_name}"
            assert axis.type in (None, "category", "linear", "-") or axis.tickformat, name
    assert figures["issued_paid"].layout.xaxis.tickformat == "%Y-%m"
    assert figures["line"].layout.xaxis.tickformat == "%Y-%m"
