"""The analyst's JupyterLab in headless Chromium, offline: each notebook runs, its widgets answer.

A JupyterLab server (the venv's, the ``lab`` extra) is started on a free 127.0.0.1
port with a token, on a temporary copy of notebooks/ whose ``parameters`` cells
point at the small test store (and at absolute paths for the sample files). Each
notebook is opened in Debian's Chromium, run with Run > Run All Cells, and checked:
no cell shows an error, every plotly chart draws an svg, the ipywidgets render, and
using a widget (the scorecard's bin editor, the aging drill-down, the table browser)
changes what is shown. Every request that does not go to the local server is
aborted, to show the lab works offline; console errors fail the test unless they
come from an optional asset (fonts, MathJax) that was blocked.

A screenshot of each notebook after Run All is saved to ``reports/lab-NN-name.png``,
one after its widget was used to ``reports/lab-NN-name-widget.png``, and the blocked
requests and console errors seen to ``reports/lab-offline.txt``. Failures name the
notebook and the cell (``#i`` is its index in the .ipynb, from 0, and ``[n]`` its count).
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.lab]

REPO = Path(__file__).resolve().parents[2]
NOTEBOOKS = REPO / "notebooks"
SHOTS = REPO / "reports"
ALL = sorted(p.stem for p in NOTEBOOKS.glob("*.ipynb"))
CHROMIUM = Path("/usr/bin/chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run"]
#: Requests JupyterLab or an output may attempt offline without harm (fonts, MathJax).
OPTIONAL = [r"fonts\.(googleapis|gstatic)\.com", r"\.(woff2?|ttf|otf)(\?|$)", r"mathjax"]
#: Bounded waits, in ms: server start, page load, one notebook's Run All, a widget's answer.
START_S, LOAD, RUN_ALL, ANSWER = 90, 60_000, 240_000, 30_000
#: User settings for the test's JupyterLab: no news or update checks (they would go online),
#: and every cell kept in the page (no windowing) so each one can be checked.
SETTINGS = {
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings":
        {"fetchNews": "false", "checkForUpdates": False},
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
}


def _optional(text: str) -> bool:
    return any(re.search(p, text, re.I) for p in OPTIONAL)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _copy_with_parameters(src: Path, values: dict, dest: Path) -> None:
    """Copy a notebook, its parameters cell ending with ``values`` (papermill-style override).

    Relative ``*_path`` defaults (the sample files of 01) become absolute, since the copy
    runs from another folder. Appending to the cell keeps cell numbers those of ``src``.
    """
    import nbformat

    from creditkit.reporting import notebook_parameters

    values = dict(values)
    for name, default in notebook_parameters(src).items():
        if (name.endswith("_path") and name not in values and isinstance(default, str)
                and not Path(default).is_absolute()):
            values[name] = str((src.parent / default).resolve())
    nb = nbformat.read(src, as_version=4)
    cell = next(c for c in nb.cells
                if c.cell_type == "code" and "parameters" in c.metadata.get("tags", []))
    cell.source = (cell.source.rstrip() + "\n\n# set by tests/browser/test_jupyterlab.py\n"
                   + "\n".join(f"{k} = {v!r}" for k, v in values.items()))
    nbformat.write(nb, dest)


@pytest.fixture(scope="module")
def lab_root(small_parameters, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """notebooks/ copied, each reading the small store."""
    root = tmp_path_factory.mktemp("lab-notebooks")
    for name in ALL:
        src = NOTEBOOKS / f"{name}.ipynb"
        _copy_with_parameters(src, small_parameters(src), root / src.name)
    return root


@dataclass
class Lab:
    url: str
    token: str
    root: Path
    log: Path

    def api(self, path: str, method: str = "GET") -> object:
        req = urllib.request.Request(f"{self.url}{path}", method=method,
                                     headers={"Authorization": f"token {self.token}"})
        with urllib.request.urlopen(req, timeout=10) as r:
            body = r.read()
        return json.loads(body) if body else None

    def log_tail(self, n: int = 30) -> str:
        lines = self.log.read_text(encoding="utf-8", errors="replace").splitlines()
        return "\n".join(lines[-n:])


@pytest.fixture(scope="module")
def lab(lab_root: Path, tmp_path_factory: pytest.TempPathFactory):
    """`jupyter lab` on a free local port with a token; stopped at the end, also on failure."""
    if importlib.util.find_spec("jupyterlab") is None:
        pytest.skip("JupyterLab is not installed: pip install -e '.[lab]' (make test does)")
    home = tmp_path_factory.mktemp("lab-home")
    for rel, values in SETTINGS.items():
        f = home / "settings" / rel
        f.parent.mkdir(parents=True, exist_ok=True)
        f.write_text(json.dumps(values), encoding="utf-8")
    port, token = _free_port(), secrets.token_hex(24)
    env = {**os.environ,
           "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])),
           "JUPYTER_CONFIG_DIR": str(home / "config"), "JUPYTER_RUNTIME_DIR": str(home / "run"),
           "JUPYTER_DATA_DIR": str(home / "data"),
           "JUPYTERLAB_SETTINGS_DIR": str(home / "settings"),
           "JUPYTERLAB_WORKSPACES_DIR": str(home / "workspaces")}
    cmd = [sys.executable, "-m", "jupyterlab", "--no-browser", "--ip=127.0.0.1",
           f"--port={port}", "--port-retries=0", f"--IdentityProvider.token={token}",
           f"--ServerApp.root_dir={lab_root}", "--LabApp.news_url=",
           "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd.append("--allow-root")
    log = home / "lab.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, env=env,
                                cwd=lab_root, start_new_session=True)
    server = Lab(f"http://127.0.0.1:{port}", token, lab_root, log)
    try:
        deadline = time.monotonic() + START_S
        while True:
            if proc.poll() is not None:
                pytest.fail(f"jupyter lab exited with {proc.returncode}:\n{server.log_tail()}")
            try:
                server.api("/api/status")
                break
            except (urllib.error.URLError, ConnectionError, OSError):
                if time.monotonic() > deadline:
                    pytest.fail(f"jupyter lab did not answer in {START_S} s:\n"
                                f"{server.log_tail()}")
                time.sleep(0.5)
        yield server
    finally:
        # SIGTERM: the server shuts its kernels down; then the whole group, to be sure.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)


@pytest.fixture(scope="module")
def browser(lab: Lab):
    """Debian's Chromium; every request not to the local lab is aborted and recorded."""
    if not CHROMIUM.exists():
        pytest.skip("Debian chromium is not installed at /usr/bin/chromium "
                    "(make test installs it: apt-get install -y chromium fonts-noto-cjk)")
    sync_api = pytest.importorskip(
        "playwright.sync_api", reason="playwright is not installed (pip install -e '.[dev]')")
    SHOTS.mkdir(exist_ok=True)
    (SHOTS / "lab-offline.txt").write_text("", encoding="utf-8")
    profile = tempfile.mkdtemp(prefix="ck-chromium-lab-")
    blocked: list[str] = []
    local = f"{lab.url}/"

    def route(r) -> None:
        if r.request.url.startswith(local):
            r.continue_()
        else:
            blocked.append(r.request.url)
            r.abort()

    with sync_api.sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(
            profile, executable_path=str(CHROMIUM), headless=True, args=FLAGS,
            viewport={"width": 1280, "height": 1000}, locale="en-US")
        context.route("**/*", route)
        context.set_default_timeout(ANSWER)
        try:
            yield context, blocked
        finally:
            context.close()
            shutil.rmtree(profile, ignore_errors=True)


@dataclass
class Opened:
    name: str
    page: object
    errors: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)


#: Run All is over: the kernel is idle and every code cell has a count, or one cell failed
#: (JupyterLab then does not run the cells after it).
_CELLS_DONE = """() => {
  const cells = [...document.querySelectorAll('.jp-Notebook .jp-CodeCell')];
  const prompt = c => c.querySelector('.jp-InputPrompt').textContent.trim();
  const done = cells.length > 0 && cells.every(c => /^\\[\\d+\\]:$/.test(prompt(c)));
  const failed = cells.some(c => [...c.querySelectorAll(
      '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]')].some(
      o => /Traceback|^\\w*(Error|Exception)\\b/m.test(o.innerText)));
  const status = document.querySelector('.jp-Notebook-ExecutionIndicator');
  return (done || failed) && status !== null && status.getAttribute('data-status') === 'idle';
}"""

_STARTED = """() => [...document.querySelectorAll('.jp-Notebook .jp-CodeCell .jp-InputPrompt')]
  .some(p => /^\\[(\\*|\\d+)\\]:$/.test(p.textContent.trim()))"""


def _run_all(page, name: str) -> None:
    """Run > Run All Cells, as an analyst would; once more if no cell was queued."""
    for attempt in range(2):
        page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(r"^Run$")).click()
        page.locator(".lm-Menu-itemLabel", has_text=re.compile(r"^Run All Cells$")).click()
        try:
            page.wait_for_function(_STARTED, timeout=ANSWER, polling=250)
            return
        except Exception:
            if attempt:
                raise AssertionError(f"{name}: Run > Run All Cells queued no cell "
                                     f"in {ANSWER // 1000} s") from None


def _cell_report(page, name: str) -> str:
    """The prompts of the code cells still not run, for a failure message."""
    prompts = page.eval_on_selector_all(
        ".jp-Notebook .jp-CodeCell .jp-InputPrompt", "els => els.map(e => e.textContent.trim())")
    pending = [f"cell {i} {p or '[ ]:'}" for i, p in enumerate(prompts)
               if not re.fullmatch(r"\[\d+\]:", p)]
    return f"{name}: cells not finished: {pending[:10]}"


@pytest.fixture(scope="module", params=ALL)
def opened(request, lab: Lab, browser) -> Opened:
    """One notebook opened in JupyterLab and run with Run > Run All Cells."""
    context, blocked = browser
    name = request.param
    page = context.new_page()
    got = Opened(name, page, blocked=blocked)
    blocked.clear()
    page.on("console", lambda m: got.errors.append(f"{m.text} ({m.location.get('url')})")
            if m.type == "error" else None)
    page.on("pageerror", lambda e: got.errors.append(f"uncaught: {e}"))
    try:
        page.goto(f"{lab.url}/lab/tree/{name}.ipynb?reset&token={lab.token}",
                  wait_until="domcontentloaded", timeout=LOAD)
        page.wait_for_selector(".jp-Notebook .jp-CodeCell", timeout=LOAD)
        # the status bar says "Python 3 (ipykernel) | Idle" once the kernel is connected
        page.locator(".jp-StatusBar-TextItem", has_text=re.compile(r"\| Idle$")).wait_for(
            timeout=LOAD)
        _run_all(page, name)
        try:
            page.wait_for_function(_CELLS_DONE, timeout=RUN_ALL, polling=500)
        except Exception:
            pytest.fail(f"Run All did not finish in {RUN_ALL // 1000} s; "
                        + _cell_report(page, name))
        errors = page.evaluate(_ERRORS)
        if errors:
            pytest.fail(f"{name}: Run All stopped on an error:\n" + "\n".join(errors))
        plot = page.locator(".jp-OutputArea-output .js-plotly-plot").first
        if plot.count():
            plot.scroll_into_view_if_needed()
        page.screenshot(path=str(SHOTS / f"lab-{name}.png"))
        yield got
    finally:
        page.close()
        # stop this notebook's kernel before the next one starts (2 cores)
        with contextlib.suppress(Exception):
            for s in lab.api("/api/sessions"):
                lab.api(f"/api/sessions/{s['id']}", method="DELETE")


_ERRORS = """() => [...document.querySelectorAll('.jp-Notebook .jp-Cell')].flatMap((cell, i) => {
  const outs = [...cell.querySelectorAll('.jp-OutputArea-output')];
  const bad = outs.filter(o => {
    const t = o.innerText || '';
    return (o.getAttribute('data-mime-type') === 'application/vnd.jupyter.stderr'
            && /Traceback|^\\w*(Error|Exception)\\b/m.test(t))
      || /Error displaying widget|Model not found/i.test(t);
  });
  if (!bad.length) return [];
  const prompt = (cell.querySelector('.jp-InputPrompt') || {}).textContent || '';
  const src = (cell.querySelector('.jp-InputArea-editor') || {}).innerText || '';
  const text = bad.map(o => o.innerText.trim()).join('\\n');
  const last = text.split('\\n').filter(l => /(Error|Exception)\\b/.test(l)).pop()
      || text.slice(-300);
  return [`cell #${i} ${prompt.trim()} ${JSON.stringify(src.trim().split('\\n')[0])}: ${last}`];
})"""


def test_no_cell_shows_an_error(opened: Opened) -> None:
    errors = opened.page.evaluate(_ERRORS)
    assert errors == [], f"{opened.name}: " + "\n".join(errors)


def test_plotly_charts_render(opened: Opened) -> None:
    page = opened.page
    plots = page.locator(".jp-OutputArea-output .js-plotly-plot")
    assert plots.count() >= 1, f"{opened.name}: no plotly chart in the outputs"
    empty = [i for i in range(plots.count()) if plots.nth(i).locator("svg.main-svg").count() == 0]
    assert empty == [], f"{opened.name}: plotly charts {empty} have no svg"
    assert page.locator(".js-plotly-plot .bars .point path, .js-plotly-plot .scatterlayer path,"
                        " .js-plotly-plot .heatmaplayer image").count() > 0, \
        f"{opened.name}: the charts have no marks"


def test_widgets_render(opened: Opened) -> None:
    page = opened.page
    widgets = page.locator(".jp-OutputArea-output .jupyter-widgets.widget-container")
    assert widgets.count() >= 1, f"{opened.name}: no ipywidgets view rendered"
    widgets.first.scroll_into_view_if_needed()
    assert widgets.first.is_visible()
    loading = page.locator(".jp-OutputArea-output", has_text="Loading widget")
    assert loading.count() == 0, f"{opened.name}: a widget is still loading"


def _html_of(box) -> str:
    return box.locator(".widget-html-content").all_inner_texts()


def _select_other(select, index: int = 1) -> str:
    """Choose option ``index`` of a <select> widget (as a click would); returns its label."""
    options = select.locator("option")
    assert options.count() > index, "the widget offers too few choices to change"
    label = options.nth(index).inner_text()
    select.select_option(label=label)
    return label


def _bin_editor(page) -> None:
    """02: merge bins 0 and 1 of the first variable, then show another variable."""
    from playwright.sync_api import expect

    editor = page.locator(".jp-OutputArea-output").filter(
        has=page.locator("button.ck-merge"))  # the merge button, whatever the language
    expect(editor).to_have_count(1)
    editor.scroll_into_view_if_needed()
    table = editor.locator("table.ck-table")
    rows = table.locator("tbody tr")
    n, before = rows.count(), table.inner_text()
    summary = editor.locator(".widget-html-content", has=page.locator("b"))
    summary_before = summary.inner_text()
    editor.locator("button.ck-merge").click()
    expect(rows).to_have_count(n - 1, timeout=ANSWER)  # one bin fewer
    assert table.inner_text() != before
    assert summary.inner_text() != summary_before, "IV/AUC summary did not update"
    var_before = summary.locator("b").inner_text()
    _select_other(editor.locator(".widget-dropdown select"))
    expect(summary.locator("b")).not_to_have_text(var_before, timeout=ANSWER)


def _drilldown(page) -> None:
    """03: pick another customer of the bucket, then another bucket."""
    from playwright.sync_api import expect

    box = page.locator(".jp-OutputArea-output").filter(has=page.locator(".widget-select select"))
    expect(box).to_have_count(1)
    box.scroll_into_view_if_needed()
    title = box.locator(".widget-html-content h4")
    customers = box.locator(".widget-select select")
    first = title.inner_text()
    picked = _select_other(customers).split()[0]  # "C00000276 name · amount"
    expect(title).to_contain_text(picked, timeout=ANSWER)
    assert picked not in first
    second, options = title.inner_text(), customers.inner_text()
    _select_other(box.locator(".widget-dropdown select"))
    expect(customers).not_to_have_text(options, timeout=ANSWER)
    expect(title).not_to_have_text(second, timeout=ANSWER)


def _table_browser(page) -> None:
    """00, 01: pick another table in the table browser."""
    from playwright.sync_api import expect

    box = page.locator(".jp-OutputArea-output").filter(
        has=page.locator(".widget-dropdown select")).last
    box.scroll_into_view_if_needed()
    table = box.locator(".widget-html-content")
    before = table.inner_text()
    _select_other(box.locator(".widget-dropdown select"))
    expect(table).not_to_have_text(before, timeout=ANSWER)


INTERACTIONS = {"02-scorecard": _bin_editor, "03-repayment-tracking": _drilldown}


def test_using_a_widget_changes_what_is_shown(opened: Opened) -> None:
    use = INTERACTIONS.get(opened.name, _table_browser)
    use(opened.page)
    opened.page.screenshot(path=str(SHOTS / f"lab-{opened.name}-widget.png"))


def test_offline_and_no_console_errors(opened: Opened) -> None:
    seen = Counter([f"blocked request {u}" for u in opened.blocked]
                   + [f"console error {e}" for e in opened.errors])
    with (SHOTS / "lab-offline.txt").open("a", encoding="utf-8") as f:  # for the reviewer
        f.writelines(f"{opened.name}: {n} x {what}\n" for what, n in sorted(seen.items()))
    unexpected = [e for e in opened.errors
                  if not (_optional(e) or "net::ERR_FAILED" in e or "ERR_NAME_NOT" in e)]
    assert unexpected == [], f"{opened.name}: console errors: {unexpected}"
    left = [u for u in opened.blocked if not _optional(u)]
    assert left == [], f"{opened.name}: requests left for the network: {left}"
