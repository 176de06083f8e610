"""Every notebook's exported report works offline in headless Chromium.

Every http(s) request is aborted and recorded; each report must still draw its
plotly charts, answer hover, and log no error. Optional fonts may be attempted
(and blocked); nothing else, MathJax included. The overview (zh, with a script
planted in its data) is checked further: manifest first, data shown as text.
The other notebooks are exported small (300 customers), two at a time, once per run
(shared with the unit step's report tests).
"""

from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run"]
#: Requests a report may attempt offline without harm (fonts), as regexes. Not MathJax:
#: no figure needs it, and reports are rendered without it.
OPTIONAL = [r"fonts\.(googleapis|gstatic)\.com", r"\.(woff2?|ttf|otf)(\?|$)"]


def _optional(text: str) -> bool:
    return any(re.search(p, text, re.I) for p in OPTIONAL)


@pytest.fixture(scope="module")
def browser_page():
    if not CHROMIUM.exists():
        pytest.skip("Debian chromium is not installed at /usr/bin/chromium "
                    "(make test installs it: apt-get install -y chromium fonts-noto-cjk)")
    sync_api = pytest.importorskip(
        "playwright.sync_api", reason="playwright is not installed (pip install -e '.[dev]')")
    profile = tempfile.mkdtemp(prefix="ck-chromium-")
    with sync_api.sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(
            profile, executable_path=str(CHROMIUM), headless=True, args=FLAGS,
            viewport={"width": 1280, "height": 900}, locale="zh-CN")
        try:
            yield context
        finally:
            context.close()
            shutil.rmtree(profile, ignore_errors=True)


NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"
ALL = sorted(p.stem for p in NOTEBOOKS.glob("*.ipynb"))
OVERVIEW = "00-portfolio-overview"


@pytest.fixture(scope="module")
def reports(request, small_parameters, notebook_reports) -> dict[str, Path]:
    """Every notebook's report: the overview from conftest, the others from the run's
    shared reports (conftest ``notebook_reports``: exported by the unit step already)."""
    others = [n for n in ALL if n != OVERVIEW]
    found = {OVERVIEW: request.getfixturevalue("overview_report")}
    got = notebook_reports.export_many({n: (NOTEBOOKS / f"{n}.ipynb",
                                            small_parameters(NOTEBOOKS / f"{n}.ipynb"))
                                        for n in others})
    for n, html in got.items():
        if isinstance(html, Exception):
            raise html
        found[n] = html
    return found


def _open(context, path: Path):
    """Open a report with the network blocked: (page, attempted requests, errors, dialogs)."""
    attempted: list[str] = []
    errors: list[str] = []
    dialogs: list[str] = []
    page = context.new_page()

    def block(route) -> None:
        attempted.append(route.request.url)
        route.abort()

    page.route(re.compile(r"^https?://"), block)
    page.on("requestfailed", lambda r: attempted.append(r.url)
            if not r.url.startswith("file:") and r.url not in attempted else None)
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(f"uncaught: {e}"))
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(path.resolve().as_uri(), wait_until="load")
    page.wait_for_selector(".js-plotly-plot .main-svg", timeout=30_000)
    page.wait_for_timeout(500)
    return page, attempted, errors, dialogs


@pytest.fixture(scope="module", params=ALL)
def loaded(request, browser_page, reports: dict[str, Path]):
    """One report opened offline, for each notebook."""
    page, *rest = _open(browser_page, reports[request.param])
    yield (page, *rest)
    page.close()


@pytest.fixture(scope="module")
def overview(browser_page, reports: dict[str, Path]):
    page, *rest = _open(browser_page, reports[OVERVIEW])
    yield (page, *rest)
    page.close()


def _hover_text(page) -> str:
    """Move the mouse onto the biggest bar or marker of the first plot having one."""
    marks = ".bars .point path, .scatterlayer .points path"
    plot = page.locator(".js-plotly-plot").filter(has=page.locator(marks)).first
    items = plot.locator(marks)
    sizes = [(b["height"] * b["width"], i) for i in range(min(items.count(), 200))
             if (b := items.nth(i).bounding_box())]
    biggest = items.nth(max(sizes)[1])  # the biggest one is easy to hit
    biggest.scroll_into_view_if_needed()
    box = biggest.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + max(box["height"] / 2, 1))
    page.wait_for_function(
        "() => [...document.querySelectorAll('.hoverlayer')].some(h => h.childElementCount > 0)",
        timeout=5_000)
    return " ".join(page.locator(".hoverlayer").all_text_contents())


def test_charts_render(loaded) -> None:
    page, *_ = loaded
    plots = page.locator(".js-plotly-plot")
    assert plots.count() >= 1
    for i in range(plots.count()):
        assert plots.nth(i).locator("svg.main-svg").count() >= 1
    assert page.locator(".js-plotly-plot .bars .point path, "
                        ".js-plotly-plot .scatterlayer .points path").count() > 0


def test_overview_has_its_charts(overview) -> None:
    page, *_ = overview
    assert page.locator(".js-plotly-plot").count() >= 3
    assert page.locator(".js-plotly-plot .bars .point path").count() > 0


def test_hover_shows_a_label(loaded) -> None:
    page, *_ = loaded
    assert _hover_text(page).strip()


def test_overview_hover_shows_money(overview) -> None:
    page, *_ = overview
    assert "¥" in _hover_text(page)  # hover shows the formatted amount


def test_nothing_left_the_page_but_optional_assets(loaded) -> None:
    _, attempted, _, _ = loaded
    unexpected = [u for u in attempted if not _optional(u)]
    assert unexpected == [], f"requests left the page: {unexpected}"


def test_console_has_no_errors(loaded) -> None:
    _, _, errors, _ = loaded
    unexpected = [e for e in errors
                  if not (_optional(e) or "net::ERR_FAILED" in e or "ERR_NAME_NOT" in e)]
    assert unexpected == [], f"console errors: {unexpected}"
    # blocked-resource errors are only acceptable for optional assets
    assert all(_optional(u) for u in loaded[1])


def test_manifest_is_first_and_labelled_in_zh(overview) -> None:
    page, *_ = overview
    manifest = page.locator("#creditkit-manifest")
    assert manifest.count() == 1
    text = manifest.inner_text()
    assert "报告信息" in text and "数据指纹" in text and "统计日期" in text
    first_cell = "document.querySelector('main .jp-Cell')"
    assert page.evaluate(f"() => {first_cell}.querySelector('#creditkit-manifest') !== null")


def test_script_from_data_is_text(overview, reports: dict[str, Path],
                                  script_payload: str) -> None:
    page, _, _, dialogs = overview
    assert page.evaluate("() => window.__pwned") is None
    assert dialogs == []
    ticks = " ".join(page.locator(".js-plotly-plot .xtick text").all_text_contents())
    assert script_payload in ticks  # drawn as text, not run
    assert script_payload not in reports[OVERVIEW].read_text(encoding="utf-8")


def test_screenshot(overview, tmp_path_factory: pytest.TempPathFactory) -> None:
    page, *_ = overview
    shot = tmp_path_factory.mktemp("shot") / "overview-zh.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 20_000
