"""Every notebook's report speaks one language and holds no machine path.

Each notebook is exported small (300 customers, as in conftest) in zh and in en,
and the text a person reads is scanned for the other script:

- the readable text is the page without ``<script>``/``<style>`` (so without the
  inline plotly.js) and without tags, plus the text inside each plotly figure's
  JSON: titles, axis titles, tick and category labels, hover text and templates,
  legend and trace names, annotations, pie labels;
- code is left out: every ``<code>`` element (the manifest's parameter row, which shows
  the parameters as typed, ``store_path = "…"``; the inline code of prose; listings shown
  with ``creditkit.display.code_block``, such as the deployment SQL, in
  ``<pre class="ck-code"><code>``). Code reads the same in every language; plain ``<pre>``
  text output (a ``print``) is scanned;
- data values are left out: the cells of tables' data columns (name, region, and the
  quarantine's ``value_as_written``: a value quoted as it stands in the file, 'ten
  thousand' or '比特币') and the chart labels equal to the data's names or regions (a
  customer called 苏州**有限公司 is shown so in an English report too). Explanations
  never quote a value inline: it sits in that column, so nothing else is skipped;
- in a zh report no Latin word may appear unless it is a data value (it holds a
  digit: ids, ``M1``, ``B2B``; or it is a file name, a currency code or the Latin part of
  a currency sign, US$ 20.00, HK$ 5.00; or a single capital letter, the grade names of a
  limit policy, A 级 to E 级, as the policy file names them), a unit,
  or one of the few names in ``ALLOWED_LATIN`` (statistics and product names that
  Chinese credit teams write in Latin letters, as the zh label table does);
- in an en report no CJK character may appear at all.

The absolute folders of the store and of this repository must appear nowhere in
the page (item: reports hold no machine paths).
"""

from __future__ import annotations

import html
import json
import re
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from creditkit.labels import ALLOWED_LATIN, label

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[1]
NOTEBOOKS = REPO / "notebooks"
ALL = sorted(p.stem for p in NOTEBOOKS.glob("*.ipynb"))
LANGS = ("zh", "en")

#: ALLOWED_LATIN (imported above): Latin names a zh report may show, kept in the label table
#: beside the zh texts that use them; the JupyterLab test scans with the same list.
#: Currency codes shown beside amounts (data values).
CURRENCIES = frozenset({"CNY", "USD", "HKD", "EUR", "GBP", "JPY", "SGD", "TWD", "MOP"})
#: Units shown after numbers (the manifest's run time in s) and the unbounded ends of
#: numeric bins ([-inf, 20)).
UNITS = frozenset({"s", "ms", "inf"})

#: Columns whose values are data (people's and firms' names, places), not the report's words.
DATA_COLUMNS = ("name", "customer_name", "region", "value_as_written")

_FILE_NAME = re.compile(r"[\w.-]+\.(?:ipynb|duckdb|csv|xlsx|xls|json|html|parquet|txt)\b")
_CURRENCY_SIGN = re.compile(r"\b(?:US|HK|NT|S|MOP)\$")
_GRADE = re.compile(r"[A-Z]")
_NOTEBOOK_STEM = re.compile(r"\b\d{2}-[a-z0-9-]+\b")
_LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z0-9_'’-]*")
_CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")

# plotly JSON keys whose string values a person reads (on the chart or on hover)
_SHOWN_KEYS = frozenset({"text", "name", "hovertext", "hovertemplate", "texttemplate",
                         "ticktext", "labels", "x", "y", "values", "customdata", "parents"})
_HIDDEN_KEYS = frozenset({"template", "bdata", "dtype", "shape"})


# --- exporting the reports ------------------------------------------------------------------

@pytest.fixture(scope="module")
def reports(small_parameters, notebook_reports
            ) -> dict[tuple[str, str], Path | Exception]:
    """Every notebook's report in zh and en (or the error its run raised), two at a time.

    From the run's shared reports (conftest ``notebook_reports``): the per-notebook tests
    and the browser test read the same exports.
    """
    runs = {}
    for name in ALL:
        nb = NOTEBOOKS / f"{name}.ipynb"
        params = small_parameters(nb)
        for lang in LANGS:
            runs[name, lang] = (nb, {**params, "lang": lang} if "lang" in params else params)
    return notebook_reports.export_many(runs)


@pytest.fixture(scope="module")
def data_values(small_portfolio) -> frozenset[str]:
    """Values of the data's own name and place columns: shown as they are in any language."""
    customers = small_portfolio["customers"]
    return frozenset(str(v) for col in DATA_COLUMNS if col in customers.columns
                     for v in customers[col].dropna().unique())


# --- what a person reads --------------------------------------------------------------------

def _figures(page: str) -> list[Any]:
    """The data and layout of every plotly figure of the page (``Plotly.newPlot`` calls)."""
    decoder = json.JSONDecoder()
    out = []
    for m in re.finditer(r"Plotly\.newPlot\(\s*", page):
        pos = m.end()
        parts = []
        for _ in range(3):  # div id, data, layout
            value, pos = decoder.raw_decode(page, pos)
            parts.append(value)
            pos = re.compile(r"\s*,\s*").match(page, pos).end()
        out.append(parts[1:])
    return out


def _shown_strings(node: Any, key: str | None = None) -> list[str]:
    if isinstance(node, dict):
        return [s for k, v in node.items() if k not in _HIDDEN_KEYS
                for s in _shown_strings(v, k)]
    if isinstance(node, list):
        return [s for v in node for s in _shown_strings(v, key)]
    if isinstance(node, str) and key in _SHOWN_KEYS:
        return [node]
    return []


def _plotly_text(s: str) -> str:
    s = re.sub(r"%\{[^}]*\}", " ", s)  # hovertemplate placeholders
    s = re.sub(r"<extra>.*?</extra>", " ", s)
    return html.unescape(re.sub(r"<[^>]+>", " ", s))


class _PageText(HTMLParser):
    """Text nodes of a page, without scripts, styles, code (``<code>``: the manifest's
    parameters, code listings) and the table cells of data columns (``data_headers``:
    customer names, regions, values as written)."""

    def __init__(self, data_headers: frozenset[str]) -> None:
        super().__init__(convert_charrefs=True)
        self.data_headers = data_headers
        self.parts: list[str] = []
        self.skip = 0  # inside <script>/<style>/<code>
        self.manifest = 0
        self.tables: list[dict] = []  # per open table: headers, in head, column, cell kind

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in ("script", "style"):
            self.skip += 1
        elif tag == "section" and ("id", "creditkit-manifest") in attrs:
            self.manifest += 1
        elif tag == "code":
            self.skip += 1
        elif tag == "table":
            self.tables.append({"headers": [], "head": False, "col": -1, "cell": None})
        elif self.tables:
            t = self.tables[-1]
            if tag == "thead":
                t["head"], t["headers"] = True, []
            elif tag == "tr":
                t["col"] = -1
                if t["head"]:
                    t["headers"] = []
            elif tag in ("th", "td"):
                t["col"] += 1
                t["cell"] = "head" if t["head"] else "body"
                if t["head"]:
                    t["headers"].append("")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "code"):
            self.skip = max(0, self.skip - 1)
        elif tag == "section" and self.manifest:
            self.manifest -= 1
        elif tag == "table" and self.tables:
            self.tables.pop()
        elif tag == "thead" and self.tables:
            self.tables[-1]["head"] = False
        elif tag in ("th", "td") and self.tables:
            self.tables[-1]["cell"] = None

    def handle_data(self, data: str) -> None:
        if self.skip:
            return
        if self.tables and self.tables[-1]["cell"] is not None:
            t = self.tables[-1]
            if t["cell"] == "head":
                t["headers"][-1] += data.strip()
            elif 0 <= t["col"] < len(t["headers"]) and t["headers"][t["col"]] in self.data_headers:
                return
        self.parts.append(data)


def readable_text(page: str, lang: str, data_values: frozenset[str] = frozenset()) -> str:
    """The text of a report a person reads, page and charts (see the module docstring).

    ``data_values`` (the data's region names...) are left out of the charts, and the
    cells of the data columns (customer names, regions) out of the tables.
    """
    charts = [_plotly_text(s) for fig in _figures(page) for s in _shown_strings(fig)
              if html.unescape(s) not in data_values]
    parser = _PageText(frozenset(label(k, lang) for k in DATA_COLUMNS))
    parser.feed(page)
    parser.close()
    return "\n".join([" ".join(parser.parts), *charts])


def foreign_words(text: str, lang: str) -> Counter:
    """Words of the other script in ``text`` (a zh report: Latin words not allowed; en: CJK)."""
    if lang == "en":
        return Counter(_CJK.findall(text))
    text = _CURRENCY_SIGN.sub(" ", _NOTEBOOK_STEM.sub(" ", _FILE_NAME.sub(" ", text)))
    words = Counter()
    for word in _LATIN_WORD.findall(text):
        word = word.strip("'’-_")
        if (not word or any(c.isdigit() for c in word) or _GRADE.fullmatch(word)
                or word in ALLOWED_LATIN
                or word in CURRENCIES or word in UNITS):
            continue
        words[word] += 1
    return words


def test_the_scan_sees_charts_and_skips_code() -> None:
    fig = ('<div></div><script>Plotly.newPlot("id", [{"name": "Paid", "x": ["A1", "华东"], '
           '"y": {"dtype": "f8", "bdata": "AAAA"}, "hovertemplate": "%{x}<br>Total<extra></extra>"}'
           '], {"title": {"text": "余额"}, "template": {"layout": {"font": {"family": "Arial"}}},'
           ' "xaxis": {"title": {"text": "Region"}}}, {"responsive": true})</script>')
    page = ('<section class="ck-manifest" id="creditkit-manifest"><table><tr><td>'
            '<code>store_path = "datasets/creditkit.duckdb"</code></td></tr></table></section>'
            f"<style>.a {{ color: red }}</style><p>报告 KS 2025-06-30 CNY M1 B2B 12.5 s"
            ' US$2.00 A 级 <code>rounding</code></p>'
            '<pre class="ck-code"><code>SELECT x</code></pre>'
            f"<pre>Printed words</pre>{fig}")
    text = readable_text(page, "zh")
    assert set(foreign_words(text, "zh")) == {"Paid", "Total", "Region", "Printed", "words"}
    cjk = set(foreign_words(readable_text(page, "en"), "en"))
    assert cjk == {"华", "东", "余", "额", "报", "告", "级"}
    assert "华" not in readable_text(page, "en", frozenset({"华东"}))


def test_the_scan_skips_data_columns_of_tables() -> None:
    page = ('<table class="ck-table"><thead><tr><th>Customer ID</th><th>Name</th><th>Kind</th>'
            "</tr></thead><tbody><tr><td>C001</td><td>苏州**有限公司</td><td>企业</td></tr>"
            "</tbody></table>")
    assert foreign_words(readable_text(page, "en"), "en") == Counter("企业")
    quarantine = ('<table><thead><tr><th>Explanation</th><th>Value as written</th></tr></thead>'
                  "<tbody><tr><td>Channel: not recognised 渠道</td><td>比特币</td></tr></tbody>"
                  "</table>")
    assert foreign_words(readable_text(quarantine, "en"), "en") == Counter("渠道")


# --- the tests ------------------------------------------------------------------------------

@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", ALL)
def test_report_speaks_only_its_language(reports, data_values: frozenset[str], name: str,
                                         lang: str) -> None:
    report = reports[name, lang]
    if isinstance(report, Exception):
        raise AssertionError(f"{name} ({lang}) did not export: {report}")
    text = readable_text(report.read_text(encoding="utf-8"), lang, data_values)
    found = foreign_words(text, lang)
    other = "Latin words" if lang == "zh" else "CJK characters"
    assert not found, (f"{name} ({lang}) shows {other}: "
                       + ", ".join(f"{w} ×{n}" for w, n in found.most_common(40)))


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", ALL)
def test_report_holds_no_machine_path(reports, notebook_reports, small_store: Path, name: str,
                                      lang: str) -> None:
    report = reports[name, lang]
    if isinstance(report, Exception):
        raise AssertionError(f"{name} ({lang}) did not export: {report}")
    page = report.read_text(encoding="utf-8")
    # the store the export read (a shared report may come from another xdist worker's copy)
    given = notebook_reports.run_info(report)["parameters"]
    read = {Path(v).parent for k, v in given.items() if k.endswith("_path") and v}
    for folder in (small_store.parent, *read, REPO):
        assert str(folder) not in page, f"{name} ({lang}) shows the absolute path {folder}"
