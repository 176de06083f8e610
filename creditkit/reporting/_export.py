"""The exporter: report template, the manifest block, the index page.

Every string that came from data goes through ``html.escape`` here; tables and
prose inside a report are escaped by :mod:`creditkit.display`.
"""

from __future__ import annotations

import html
import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from creditkit.checks import check_lang
from creditkit.labels import label

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


def manifest_html(manifest: Mapping[str, Any], lang: str) -> str:
    """The manifest block at the top of a report (labelled rows + the manifest as JSON)."""
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
    """The offline HTML of an executed notebook: no code, no ``report-hide`` cells, no CDN."""
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
    check_lang(lang)
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
