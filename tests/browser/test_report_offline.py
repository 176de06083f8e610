"""The exported overview report works offline in headless Chromium.

Every http(s) request is aborted and recorded; the report must still draw its
plotly charts, answer hover, log no error, and show data strings as text.
Optional fonts and MathJax may be attempted (and blocked); nothing else.
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
#: Requests a report may attempt offline without harm (fonts, MathJax), as regexes.
OPTIONAL = [r"fonts\.(googleapis|gstatic)\.com", r"\.(woff2?|ttf|otf)(\?|$)", r"mathjax"]


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


@pytest.fixture(scope="module")
def loaded(browser_page, overview_report: Path):
    """The report opened with the network blocked: (page, attempted requests, console errors)."""
    attempted: list[str] = []
    errors: list[str] = []
    dialogs: list[str] = []
    page = browser_page.new_page()

    def block(route) -> None:
        attempted.append(route.request.url)
        route.abort()

    page.route(re.compile(r"^https?://"), block)
    page.on("requestfailed", lambda r: attempted.append(r.url)
            if not r.url.startswith("file:") and r.url not in attempted else None)
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(f"uncaught: {e}"))
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(overview_report.resolve().as_uri(), wait_until="load")
    page.wait_for_selector(".js-plotly-plot .main-svg", timeout=30_000)
    page.wait_for_timeout(500)
    return page, attempted, errors, dialogs


def test_charts_render(loaded) -> None:
    page, *_ = loaded
    plots = page.locator(".js-plotly-plot")
    assert plots.count() >= 3
    for i in range(plots.count()):
        assert plots.nth(i).locator("svg.main-svg").count() >= 1
    assert page.locator(".js-plotly-plot .bars .point path").count() > 0


def test_hover_shows_a_label(loaded) -> None:
    page, *_ = loaded
    bars = page.locator(".js-plotly-plot").first.locator(".bars .point path")
    bars.first.scroll_into_view_if_needed()
    boxes = [b for b in (bars.nth(i).bounding_box() for i in range(bars.count())) if b]
    box = max(boxes, key=lambda b: b["height"] * b["width"])  # the biggest bar is easy to hit
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + max(box["height"] / 2, 1))
    page.wait_for_function(
        "() => [...document.querySelectorAll('.hoverlayer')].some(h => h.childElementCount > 0)",
        timeout=5_000)
    text = " ".join(page.locator(".hoverlayer").all_text_contents())
    assert "¥" in text  # hover shows the formatted amount


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


def test_manifest_is_first_and_labelled_in_zh(loaded) -> None:
    page, *_ = loaded
    manifest = page.locator("#creditkit-manifest")
    assert manifest.count() == 1
    text = manifest.inner_text()
    assert "报告信息" in text and "数据指纹" in text and "统计日期" in text
    first_cell = "document.querySelector('main .jp-Cell')"
    assert page.evaluate(f"() => {first_cell}.querySelector('#creditkit-manifest') !== null")


def test_script_from_data_is_text(loaded, overview_report: Path, script_payload: str) -> None:
    page, _, _, dialogs = loaded
    assert page.evaluate("() => window.__pwned") is None
    assert dialogs == []
    ticks = " ".join(page.locator(".js-plotly-plot .xtick text").all_text_contents())
    assert script_payload in ticks  # drawn as text, not run
    assert script_payload not in overview_report.read_text(encoding="utf-8")


def test_screenshot(loaded, tmp_path_factory: pytest.TempPathFactory) -> None:
    page, *_ = loaded
    shot = tmp_path_factory.mktemp("shot") / "overview-zh.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 20_000
