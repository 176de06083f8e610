"""HTML pieces of reports: escaped tables, the manifest block, the index page, the exporter.

Every string that came from data goes through ``html.escape`` here.
"""

from __future__ import annotations

import difflib
import html
import json
import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from creditkit.exceptions import ParameterError
from creditkit.labels import LANGS, label
from creditkit.labels._prose import _PROSE

#: Cells carrying this tag are removed from exported reports (widgets, live-only cells).
REPORT_HIDE_TAG = "report-hide"

_CSS = """
body, .jp-Notebook { font-family: "Noto Sans CJK SC", "Noto Sans SC", "PingFang SC",
  "Microsoft YaHei", "Source Han Sans SC", "Helvetica Neue", Arial, sans-serif; }
.ck-manifest { border: 1px solid #d0d7de; border-radius: 6px; background: #f6f8fa;
  padding: 0.6em 1em; margin: 0.5em 0 1.5em 0; font-size: 0.9em; }
.jp-RenderedHTMLCommon .ck-manifest h2 { font-size: 1.1em; margin: 0.2em 0 0.6em 0; }
.jp-RenderedHTMLCommon .ck-manifest table { margin: 0; border: none; }
.jp-RenderedHTMLCommon .ck-manifest th, .jp-RenderedHTMLCommon .ck-manifest td {
  text-align: left; vertical-align: top; border: none; background: none; padding: 2px 1.2em 2px 0; }
.jp-RenderedHTMLCommon .ck-manifest th { color: #57606a; font-weight: 600; white-space: nowrap; }
.jp-RenderedHTMLCommon table.ck-table { border-collapse: collapse; margin: 0.5em 0;
  font-size: 0.92em; }
.jp-RenderedHTMLCommon table.ck-table th, .jp-RenderedHTMLCommon table.ck-table td {
  border-bottom: 1px solid #e1e4e8; padding: 4px 10px; text-align: left; }
.jp-RenderedHTMLCommon table.ck-table th { background: #f6f8fa; }
.jp-RenderedHTMLCommon table.ck-table .ck-num { text-align: right;
  font-variant-numeric: tabular-nums; }
.ck-note { color: #57606a; font-size: 0.85em; }
.jp-RenderedHTMLCommon p.ck-prose { max-width: 60em; line-height: 1.7; }
"""

# Lab template without the CDN scripts: require.js and the widget manager (widgets are
# report-hide and cannot render offline), MathJax and mermaid. A report needs only inline code.
_TEMPLATE = (
    "{%- extends 'lab/index.html.j2' -%}\n"
    "{%- block html_head_js_requirejs -%}{%- endblock html_head_js_requirejs -%}\n"
    "{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}\n"
    "{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}\n"
    "{% block jupyter_widgets %}{% endblock jupyter_widgets %}\n"
    "{%- block html_head_css -%}<style type=\"text/css\">" + _CSS
    + "</style>{%- endblock html_head_css -%}\n"
)
_TEMPLATE_NAME = "creditkit_report.html.j2"


# --- tables -----------------------------------------------------------------

def _format_money(values: pd.Series, currency: pd.Series | str, lang: str) -> list[str]:
    from creditkit.money import format_minor

    cur = currency if isinstance(currency, pd.Series) else pd.Series(currency, index=values.index)
    return [
        "" if pd.isna(v) else format_minor(int(v), str(c), lang=lang)
        for v, c in zip(values, cur, strict=True)
    ]


def table_html(
    df: pd.DataFrame,
    *,
    lang: str = "zh",
    max_rows: int = 50,
    values: tuple[str, ...] | list[str] = (),
    index: bool = False,
) -> str:
    """HTML of ``df`` with labelled headers and every cell escaped.

    Columns ending ``_minor`` are formatted as money with the row's ``currency``
    (CNY when there is no currency column); floats named ``share``/``*_rate`` as
    percentages. Only the first ``max_rows`` rows are shown.

    Parameters
    ----------
    df : DataFrame
        The table; not modified.
    lang : {"zh", "en"}
        Language of the headers (and of ``values`` columns).
    max_rows : int, default 50
        Rows shown; a note says how many were left out.
    values : sequence of str
        Columns whose values are label keys (``channel``, ``kind``) to translate.
    index : bool, default False
        Show the index as a first column.

    Returns
    -------
    str
        A ``<table class="ck-table">`` fragment.

    Raises
    ------
    ParameterError
        If ``lang`` is unknown, ``max_rows`` is not positive or ``df`` is not a DataFrame.

    Examples
    --------
    >>> import pandas as pd
    >>> t = table_html(pd.DataFrame({"region": ["A&B"], "count": [3]}), lang="en")
    >>> "<th>Region</th>" in t and "A&amp;B" in t
    True
    """
    if not isinstance(df, pd.DataFrame):
        raise ParameterError(f"table_html needs a DataFrame, got {type(df).__name__}")
    if lang not in LANGS:
        raise ParameterError(f"lang must be one of {LANGS}, got {lang!r}")
    if not isinstance(max_rows, int) or max_rows < 1:
        raise ParameterError(f"max_rows must be a positive int, got {max_rows!r}")
    shown = df.reset_index() if index else df
    shown = shown.head(max_rows)
    currency = shown["currency"] if "currency" in shown.columns else "CNY"
    cols: list[tuple[str, list[str], bool]] = []
    for col in shown.columns:
        s = shown[col]
        name = str(col)
        numeric = pd.api.types.is_numeric_dtype(s) and not pd.api.types.is_bool_dtype(s)
        if name.endswith("_minor") and pd.api.types.is_integer_dtype(s):
            cells = _format_money(s, currency, lang)
        elif name in values:
            cells = ["" if pd.isna(v) else label(str(v), lang) for v in s]
        elif pd.api.types.is_float_dtype(s) and (name == "share" or name.endswith("_rate")):
            cells = ["" if pd.isna(v) else f"{v:.1%}" for v in s]
        elif pd.api.types.is_integer_dtype(s):
            cells = ["" if pd.isna(v) else f"{int(v):,}" for v in s]
        elif pd.api.types.is_float_dtype(s):
            cells = ["" if pd.isna(v) else f"{v:,.4g}" for v in s]
        elif pd.api.types.is_datetime64_any_dtype(s):
            cells = ["" if pd.isna(v) else v.strftime("%Y-%m-%d") for v in s]
        else:
            cells = ["" if v is None or (not isinstance(v, str) and pd.isna(v)) else str(v)
                     for v in s]
        cols.append((label(name, lang), cells, numeric))
    num_cls = ' class="ck-num"'
    head = "".join(f'<th{num_cls if num else ""}>{html.escape(h)}</th>' for h, _, num in cols)
    rows = []
    for i in range(len(shown)):
        tds = "".join(
            f'<td{num_cls if num else ""}>{html.escape(c[i])}</td>' for _, c, num in cols)
        rows.append(f"<tr>{tds}</tr>")
    note = ""
    if len(df) > max_rows:
        more = label("rows_not_shown", lang).format(n=f"{len(df) - max_rows:,}")
        note = f'<p class="ck-note">{html.escape(more)}</p>'
    return (f'<table class="ck-table"><thead><tr>{head}</tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table>{note}")


def heading(key: str, *, lang: str = "zh", level: int = 2) -> Any:
    """A section heading from the label table, for report cells (escaped ``IPython.display.HTML``).

    Markdown cells cannot follow the ``lang`` parameter; a heading cell can.

    Examples
    --------
    >>> heading("channel_mix", lang="en").data
    '<h2>Payment channel mix</h2>'
    """
    from IPython.display import HTML

    if lang not in LANGS:
        raise ParameterError(f"lang must be one of {LANGS}, got {lang!r}")
    if level not in (1, 2, 3, 4):
        raise ParameterError(f"level must be 1 to 4, got {level!r}")
    return HTML(f"<h{level}>{html.escape(label(key, lang))}</h{level}>")


# `code`, **strong**, *emphasis*: the Markdown subset of the prose section.
_INLINE = re.compile(r"`([^`]+)`|\*\*([^*]+)\*\*|\*([^*]+)\*")


def prose_html(text: str) -> str:
    """HTML paragraphs of ``text``: blank lines split paragraphs; `code`, **strong**, *em*.

    Everything else is escaped, so the result is safe whatever the text holds.

    Examples
    --------
    >>> prose_html("Use `a<b` *now*.")
    '<p class="ck-prose">Use <code>a&lt;b</code> <em>now</em>.</p>'
    """
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]
    out = []
    for para in paragraphs:
        parts, pos = [], 0
        for m in _INLINE.finditer(para):
            parts.append(html.escape(para[pos:m.start()]))
            code, strong, em = m.groups()
            if code is not None:
                parts.append(f"<code>{html.escape(code)}</code>")
            elif strong is not None:
                parts.append(f"<strong>{html.escape(strong)}</strong>")
            else:
                parts.append(f"<em>{html.escape(em)}</em>")
            pos = m.end()
        parts.append(html.escape(para[pos:]))
        out.append(f'<p class="ck-prose">{"".join(parts)}</p>')
    return "".join(out)


def note(key: str, *, lang: str = "zh") -> Any:
    """An explanatory paragraph of a report in ``lang``, from the prose section of the labels.

    Markdown cells cannot follow the ``lang`` parameter; a ``note`` cell can. The
    texts live in ``creditkit/labels/_prose.py`` (zh and en per key) and are
    rendered by :func:`prose_html` (escaped; `code`, **strong**, *em* only).

    Parameters
    ----------
    key : str
        A key of the prose section (``"note_scoring_iv"``...).
    lang : {"zh", "en"}
        Language of the paragraph.

    Returns
    -------
    IPython.display.HTML
        Make it the last expression of a cell.

    Raises
    ------
    ParameterError
        If ``key`` is not in the prose section or ``lang`` is unknown.

    Examples
    --------
    >>> note("note_scoring_iv", lang="zh").data[:27]
    '<p class="ck-prose">信息值（IV）'
    """
    from IPython.display import HTML

    if lang not in LANGS:
        raise ParameterError(f"lang must be one of {LANGS}, got {lang!r}")
    if key not in _PROSE:
        close = difflib.get_close_matches(str(key), _PROSE, n=3)
        hint = f"did you mean {close}?" if close else "add it to creditkit/labels/_prose.py"
        raise ParameterError(f"no report note {key!r} in the prose section; {hint}")
    zh, en = _PROSE[key]
    return HTML(prose_html(zh if lang == "zh" else en))


def show_table(df: pd.DataFrame, *, lang: str = "zh", max_rows: int = 50,
               values: tuple[str, ...] | list[str] = (), index: bool = False) -> Any:
    """Display-ready, escaped HTML of ``df`` for notebooks and reports.

    Returns an ``IPython.display.HTML`` (make it the last expression of a cell);
    see :func:`table_html` for the parameters and formatting.

    Examples
    --------
    >>> import pandas as pd
    >>> show_table(pd.DataFrame({"name": ["<b>"]}), lang="en").data.count("&lt;b&gt;")
    1
    """
    from IPython.display import HTML

    return HTML(table_html(df, lang=lang, max_rows=max_rows, values=values, index=index))


def manifest_html(manifest: Mapping[str, Any], lang: str) -> str:
    params = manifest["parameters"]
    plist = "<br>".join(
        f"<code>{html.escape(k)} = {html.escape(json.dumps(v, ensure_ascii=False))}</code>"
        for k, v in params.items()
    )
    rows = [
        ("notebook", manifest["notebook"]),
        ("as_of", manifest.get("as_of") or "—"),
        ("data_fingerprint", manifest.get("data_fingerprint") or "—"),
        ("creditkit_version", manifest["creditkit_version"]),
        ("run_at", manifest["run_at"]),
        ("duration", f"{manifest['duration_s']:.1f} s"),
    ]
    trs = "".join(
        f"<tr><th>{html.escape(label(k, lang))}</th><td>{html.escape(str(v))}</td></tr>"
        for k, v in rows
    )
    trs += f"<tr><th>{html.escape(label('parameters', lang))}</th><td>{plist}</td></tr>"
    blob = json.dumps(manifest, ensure_ascii=False, default=str).replace("<", "\\u003c")
    return (
        f'<section id="creditkit-manifest" class="ck-manifest">'
        f"<h2>{html.escape(label('manifest', lang))}</h2><table>{trs}</table>"
        f'<script type="application/json" id="creditkit-manifest-json">{blob}</script>'
        f"</section>"
    )


def export_html(nb: Any, lang: str, title: str) -> str:
    import jinja2
    from nbconvert import HTMLExporter
    from nbconvert.preprocessors import TagRemovePreprocessor

    exporter = HTMLExporter(
        extra_loaders=[jinja2.DictLoader({_TEMPLATE_NAME: _TEMPLATE})],
        template_file=_TEMPLATE_NAME,
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
    )
    exporter.register_preprocessor(
        TagRemovePreprocessor(remove_cell_tags={REPORT_HIDE_TAG}, enabled=True), enabled=True)
    nb.metadata["title"] = title
    body, _ = exporter.from_notebook_node(
        nb, resources={"language_code": "zh-CN" if lang == "zh" else "en"})
    return body


def write_index(
    out_dir: str | os.PathLike,
    entries: list[tuple[str, Path | None, str]],
    *,
    lang: str = "zh",
) -> Path:
    """Write ``index.html`` in ``out_dir`` linking the reports (names escaped).

    ``entries`` are ``(notebook name, report path or None, error message)``.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> page = write_index(d, [("<x>.ipynb", d / "x.html", "")], lang="en").read_text()
    >>> "&lt;x&gt;.ipynb" in page and 'href="x.html"' in page
    True
    """
    if lang not in LANGS:
        raise ParameterError(f"lang must be one of {LANGS}, got {lang!r}")
    from urllib.parse import quote

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    items = []
    for name, report, error in entries:
        if report is not None:
            href = html.escape(quote(Path(report).name), quote=True)
            items.append(f'<li><a href="{href}">{html.escape(name)}</a></li>')
        else:
            items.append(f'<li>{html.escape(name)} — <span class="ck-error">'
                         f"{html.escape(label('failed', lang))}: {html.escape(error)}</span></li>")
    title = html.escape(label("report_index", lang))
    page = (
        f'<!DOCTYPE html>\n<html lang="{"zh-CN" if lang == "zh" else "en"}"><head>'
        f'<meta charset="utf-8"><title>{title}</title><style>{_CSS}'
        ".ck-error { color: #b42318; } body { margin: 2em; line-height: 1.8; }</style></head>"
        f'<body class="jp-Notebook"><main><h1>{title}</h1><ul>{"".join(items)}</ul>'
        "</main></body></html>\n"
    )
    target = out / "index.html"
    target.write_text(page, encoding="utf-8")
    return target
