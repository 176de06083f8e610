"""Run parameterised notebooks and export them as offline HTML review reports.

A report is a notebook executed with papermill (cwd = the notebook's folder,
an execution timeout) and exported with nbconvert: code hidden
(``exclude_input``), cells tagged ``report-hide`` removed, plotly figures
rendered with plotly.js inlined once (``PLOTLY_RENDERER=notebook``), no
require.js/MathJax from a CDN, and a manifest block at the top (notebook,
parameters, as_of, data fingerprint, creditkit version, run time).

The executed ``.ipynb`` is discarded on success (the HTML is the artefact; it
already holds every output) unless ``keep_ipynb=True``. On failure it is kept as
``<name>.failed.ipynb`` next to where the HTML would have gone, for debugging.

Strings that came from data reach the report escaped: tables go through
:func:`table_html` / :func:`show_table` (``html.escape`` on every cell and
header); plotly escapes ``<`` in its JSON and draws text as SVG text nodes.

Examples
--------
>>> import pandas as pd
>>> html = table_html(pd.DataFrame({"name": ["<script>x</script>"]}), lang="en")
>>> "&lt;script&gt;" in html and "<script>" not in html
True
"""

from __future__ import annotations

import ast
import contextlib
import datetime as dt
import html
import json
import os
import re
import time
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from creditkit.exceptions import DataReadError, ParameterError, ReportError
from creditkit.labels import LANGS, label

__all__ = [
    "REPORT_HIDE_TAG",
    "data_fingerprint",
    "notebook_parameters",
    "run_all",
    "run_notebook",
    "setup_notebook",
    "show_table",
    "table_html",
    "write_index",
]

#: Cells carrying this tag are removed from exported reports (widgets, live-only cells).
REPORT_HIDE_TAG = "report-hide"

_CSS = """
body, .jp-Notebook { font-family: "Noto Sans CJK SC", "Noto Sans SC", "PingFang SC",
  "Microsoft YaHei", "Source Han Sans SC", "Helvetica Neue", Arial, sans-serif; }
.ck-manifest { border: 1px solid #d0d7de; border-radius: 6px; background: #f6f8fa;
  padding: 0.6em 1em; margin: 0.5em 0 1.5em 0; font-size: 0.9em; }
.ck-manifest h2 { font-size: 1.05em; margin: 0.2em 0 0.5em 0; }
.ck-manifest th { text-align: left; padding: 2px 1.2em 2px 0; color: #57606a;
  font-weight: 600; vertical-align: top; white-space: nowrap; }
.ck-manifest td { padding: 2px 0; }
.ck-manifest code { font-size: 0.95em; }
table.ck-table { border-collapse: collapse; margin: 0.5em 0; font-size: 0.92em; }
table.ck-table th, table.ck-table td { border-bottom: 1px solid #e1e4e8; padding: 4px 10px; }
table.ck-table th { background: #f6f8fa; text-align: left; }
table.ck-table td.ck-num { text-align: right; font-variant-numeric: tabular-nums; }
"""

# Lab template without the CDN scripts: require.js (only widgets need it; they are
# report-hide), MathJax and mermaid. Everything a report needs is inline.
_TEMPLATE = (
    "{%- extends 'lab/index.html.j2' -%}\n"
    "{%- block html_head_js_requirejs -%}{%- endblock html_head_js_requirejs -%}\n"
    "{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}\n"
    "{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}\n"
    "{% block extra_css %}<style type=\"text/css\">" + _CSS + "</style>{% endblock extra_css %}\n"
)
_TEMPLATE_NAME = "creditkit_report.html.j2"


def setup_notebook() -> None:
    """Prepare a notebook kernel for creditkit reports; call once in the imports cell.

    Sets ``plotly.io.renderers.default = "notebook"`` so plotly.js is inlined once
    (the exported HTML then opens offline) and widens pandas' display a little.
    Outside a Jupyter kernel only the pandas options are set (nothing to render to).

    Examples
    --------
    >>> setup_notebook()  # outside a kernel: harmless
    """
    pd.set_option("display.max_columns", 50)
    pd.set_option("display.width", 120)
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - ipykernel is a dependency
        return
    shell = get_ipython()
    if shell is None or not hasattr(shell, "kernel"):
        return
    import plotly.io as pio

    os.environ["PLOTLY_RENDERER"] = "notebook"
    pio.renderers.default = "notebook"


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
    head = "".join(f"<th>{html.escape(h)}</th>" for h, _, _ in cols)
    rows = []
    num_cls = ' class="ck-num"'
    for i in range(len(shown)):
        tds = "".join(
            f'<td{num_cls if num else ""}>{html.escape(c[i])}</td>' for _, c, num in cols)
        rows.append(f"<tr>{tds}</tr>")
    note = ""
    if len(df) > max_rows:
        more = {"zh": f"另有 {len(df) - max_rows:,} 行未显示", "en":
                f"{len(df) - max_rows:,} more rows not shown"}[lang]
        note = f'<p class="ck-note">{html.escape(more)}</p>'
    return (f'<table class="ck-table"><thead><tr>{head}</tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table>{note}")


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


# --- parameters, fingerprint, manifest --------------------------------------

def _check_notebook(path: str | os.PathLike) -> Path:
    p = Path(path)
    if p.suffix != ".ipynb":
        raise ParameterError(f"expected a notebook (.ipynb), got {str(p)!r}")
    if not p.is_file():
        raise DataReadError(f"notebook {str(p)!r} does not exist; check the path "
                            "(notebooks live in notebooks/)")
    return p.resolve()


def notebook_parameters(path: str | os.PathLike) -> dict[str, Any]:
    """Default values of the ``parameters`` cell of a notebook.

    Examples
    --------
    >>> import nbformat, tempfile, pathlib
    >>> nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
    ...     'lang: str = "zh"\\nseed: int = 7', metadata={"tags": ["parameters"]})])
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "a.ipynb"; nbformat.write(nb, p)
    >>> notebook_parameters(p)
    {'lang': 'zh', 'seed': 7}
    """
    import nbformat

    nb = nbformat.read(_check_notebook(path), as_version=4)
    cells = [c for c in nb.cells
             if c.cell_type == "code" and "parameters" in c.get("metadata", {}).get("tags", [])]
    out: dict[str, Any] = {}
    if not cells:
        return out
    try:
        tree = ast.parse(cells[0].source)
    except SyntaxError as exc:
        raise ParameterError(f"the parameters cell of {Path(path).name} is not valid Python: "
                             f"{exc}; keep it to annotated literals") from None
    for node in tree.body:
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            targets, value = [node.target], node.value
        elif isinstance(node, ast.Assign) and all(isinstance(t, ast.Name) for t in node.targets):
            targets, value = node.targets, node.value
        else:
            continue
        try:
            literal = ast.literal_eval(value) if value is not None else None
        except ValueError:
            raise ParameterError(
                f"parameter {targets[0].id!r} of {Path(path).name} is not a literal; "
                "the parameters cell holds literals only (derive values in a later cell)"
            ) from None
        for t in targets:
            out[t.id] = literal
    return out


def data_fingerprint(store_path: str | os.PathLike) -> str | None:
    """A short content fingerprint of a DuckDB store, or None if there is no store.

    Uses ``creditkit.store.fingerprint`` when the store module provides one;
    otherwise hashes, per table, its name, row count and the sum of DuckDB row hashes.

    Examples
    --------
    >>> data_fingerprint("no/such/store.duckdb") is None
    True
    """
    p = Path(store_path)
    if not p.is_file():
        return None
    try:
        from creditkit.store import fingerprint as store_fingerprint
    except ImportError:
        store_fingerprint = None
    if store_fingerprint is not None:
        return str(store_fingerprint(p))
    import hashlib

    import duckdb

    digest = hashlib.sha256()
    with duckdb.connect(str(p), read_only=True) as con:
        tables = con.execute(
            "select table_name from information_schema.tables "
            "where table_schema = 'main' order by table_name").fetchall()
        for (name,) in tables:
            quoted = '"' + name.replace('"', '""') + '"'
            n, s = con.execute(
                f"select count(*), coalesce(sum(hash(t)), 0)::varchar from {quoted} as t"
            ).fetchone()
            digest.update(f"{name}\t{n}\t{s}\n".encode())
    return digest.hexdigest()[:16]


def _manifest_html(manifest: Mapping[str, Any], lang: str) -> str:
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


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("creditkit")
    except PackageNotFoundError:  # pragma: no cover - source tree not installed
        return "0.0.0+unknown"


# --- running ----------------------------------------------------------------

@contextlib.contextmanager
def _env(**values: str) -> Iterator[None]:
    old = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


_CDN_MATHJAX = re.compile(r'<script[^>]*src="https?://[^"]*mathjax[^"]*"[^>]*>\s*</script>', re.I)
_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def _kernel_of(nb_path: Path) -> str:
    import nbformat

    spec = nbformat.read(nb_path, as_version=4).metadata.get("kernelspec") or {}
    return spec.get("name") or "python3"


def _failure(nb_name: str, exc: Exception, partial: Path) -> ReportError:
    ename = getattr(exc, "ename", type(exc).__name__)
    evalue = getattr(exc, "evalue", str(exc).strip().splitlines()[-1] if str(exc).strip() else "")
    where = ""
    if getattr(exc, "exec_count", None) is not None or getattr(exc, "source", None):
        first = (getattr(exc, "source", "") or "").strip().splitlines()[:1]
        head = f" starting {first[0]!r}" if first else ""
        where = f" in cell [{exc.exec_count}]{head}"
    line = ""
    for frame in reversed(getattr(exc, "traceback", None) or []):
        arrows = [ln for ln in _ANSI.sub("", frame).splitlines() if ln.lstrip().startswith("---->")]
        if arrows:
            line = f"; failing line: {arrows[-1].strip()}"
            break
    kept = (f"the partial output is kept in {partial} (open it in Jupyter to debug)"
            if partial.exists() else "no output was written (the notebook did not start)")
    return ReportError(f"notebook {nb_name} failed{where}: {ename}: {evalue}{line}; {kept}")


def _export(nb: Any, lang: str, title: str) -> str:
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


def run_notebook(
    path: str | os.PathLike,
    parameters: Mapping[str, Any] | None = None,
    out_dir: str | os.PathLike = "reports",
    *,
    timeout: int = 600,
    kernel_name: str | None = None,
    keep_ipynb: bool = False,
    run_at: dt.datetime | None = None,
) -> Path:
    """Execute a notebook with parameters and export it as an offline HTML report.

    Parameters
    ----------
    path : path
        The ``.ipynb``; it runs with its own folder as working directory.
    parameters : mapping, optional
        Values for names of its ``parameters`` cell. Relative values of names
        ending ``_path`` are taken relative to *your* working directory and passed
        as absolute paths. Unknown names raise (a typo would otherwise be ignored).
    out_dir : path, default "reports"
        Where ``<notebook stem>.html`` is written (created if missing).
    timeout : int, default 600
        Seconds a single cell may run before the run fails.
    kernel_name : str, optional
        Jupyter kernel; default the notebook's own.
    keep_ipynb : bool, default False
        Also keep the executed notebook as ``<stem>.ipynb`` next to the HTML.
    run_at : datetime, optional
        Time stamped in the manifest; default now (UTC). Nothing else reads the clock.

    Returns
    -------
    Path
        The HTML report.

    Raises
    ------
    ParameterError
        For unknown parameter names or a non-positive timeout.
    DataReadError
        If the notebook does not exist.
    ReportError
        If a cell fails or times out: names the notebook, the cell and the failing
        line; the partial notebook is kept as ``<stem>.failed.ipynb`` in ``out_dir``.

    Examples
    --------
    >>> import nbformat, tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> nb = nbformat.v4.new_notebook(cells=[
    ...     nbformat.v4.new_code_cell('lang: str = "en"', metadata={"tags": ["parameters"]}),
    ...     nbformat.v4.new_code_cell('print("hello " + lang)')])
    >>> nbformat.write(nb, d / "hello.ipynb")
    >>> out = run_notebook(d / "hello.ipynb", {"lang": "zh"}, d / "out", timeout=60)
    >>> out.name, "hello zh" in out.read_text(encoding="utf-8")
    ('hello.html', True)
    """
    import nbformat
    import papermill as pm

    nb_path = _check_notebook(path)
    if not isinstance(timeout, int) or timeout <= 0:
        raise ParameterError(f"timeout must be a positive number of seconds, got {timeout!r}")
    defaults = notebook_parameters(nb_path)
    given = dict(parameters or {})
    unknown = sorted(set(given) - set(defaults))
    if unknown:
        raise ParameterError(
            f"unknown parameter(s) {unknown} for {nb_path.name}; "
            f"its parameters are {sorted(defaults)}")
    for name, value in given.items():
        if name.endswith("_path") and isinstance(value, str) and not Path(value).is_absolute():
            given[name] = str(Path(value).resolve())
    effective = {**defaults, **given}
    lang = effective.get("lang") if effective.get("lang") in LANGS else "zh"

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    executed = out / f"{nb_path.stem}.ipynb"
    partial = out / f"{nb_path.stem}.failed.ipynb"
    run_at = run_at or dt.datetime.now(dt.UTC).replace(microsecond=0)
    started = time.perf_counter()
    for attempt in range(3):
        try:
            with _env(PLOTLY_RENDERER="notebook"):
                pm.execute_notebook(
                    str(nb_path), str(executed), parameters=given, cwd=str(nb_path.parent),
                    kernel_name=kernel_name or _kernel_of(nb_path), language="python",
                    execution_timeout=timeout, progress_bar=False, log_output=False,
                )
            break
        except Exception as exc:
            # Kernels started at the same moment by parallel processes can race for TCP
            # ports and die before replying; nothing has run yet, so starting again is safe.
            if attempt < 2 and "Kernel died before replying" in str(exc):
                continue
            if executed.exists():
                executed.replace(partial)
            raise _failure(nb_path.name, exc, partial) from None
    duration = time.perf_counter() - started
    partial.unlink(missing_ok=True)

    store = effective.get("store_path")
    fingerprint = None
    if isinstance(store, str):
        sp = Path(store)
        fingerprint = data_fingerprint(sp if sp.is_absolute() else nb_path.parent / sp)
    manifest = {
        "notebook": nb_path.name,
        "parameters": effective,
        "as_of": effective.get("as_of"),
        "data_fingerprint": fingerprint,
        "creditkit_version": _version(),
        "run_at": run_at.isoformat(),
        "duration_s": round(duration, 1),
    }
    nb = nbformat.read(executed, as_version=4)
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        # warnings are for the analyst's console, not the manager's report
        cell.outputs = [o for o in cell.outputs
                        if not (o.output_type == "stream" and o.name == "stderr")]
        for o in cell.outputs:  # plotly's notebook renderer always links MathJax from a CDN
            if "text/html" in o.get("data", {}):
                o.data["text/html"] = _CDN_MATHJAX.sub("", o.data["text/html"])
    cell = nbformat.v4.new_code_cell("# creditkit report manifest")
    cell.outputs = [nbformat.v4.new_output(
        "display_data", data={"text/html": _manifest_html(manifest, lang)})]
    nb.cells.insert(0, cell)
    nb.metadata["creditkit"] = {"manifest": manifest}
    target = out / f"{nb_path.stem}.html"
    target.write_text(_export(nb, lang, nb_path.stem), encoding="utf-8")
    if keep_ipynb:
        nbformat.write(nb, executed)
    else:
        executed.unlink(missing_ok=True)
    return target


def run_all(
    notebooks_dir: str | os.PathLike,
    out_dir: str | os.PathLike = "reports",
    parameters: Mapping[str, Any] | None = None,
    *,
    timeout: int = 600,
    progress: bool = False,
    run_at: dt.datetime | None = None,
) -> list[Path]:
    """Run every ``*.ipynb`` of a folder (in name order) and write ``index.html``.

    Each notebook receives only the ``parameters`` it declares, so shared values
    (``store_path``, ``lang``, ``as_of``) can be given once. Every notebook is
    attempted; failures are listed in the index and raised together at the end.

    Returns
    -------
    list of Path
        The HTML reports, then ``index.html`` last.

    Raises
    ------
    DataReadError
        If the folder holds no notebook.
    ReportError
        If any notebook failed (after the others ran), naming each failure.

    Examples
    --------
    >>> import nbformat, tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1")]),
    ...                d / "00-a.ipynb")
    >>> [p.name for p in run_all(d, d / "out", {"lang": "en"}, timeout=60)]
    ['00-a.html', 'index.html']
    """
    folder = Path(notebooks_dir)
    notebooks = sorted(p for p in folder.glob("*.ipynb")
                       if not p.name.startswith(".") and not p.name.endswith(".failed.ipynb"))
    if not notebooks:
        raise DataReadError(f"no notebooks (*.ipynb) in {str(folder)!r}; pass the notebooks folder")
    params = dict(parameters or {})
    lang = params.get("lang") if params.get("lang") in LANGS else "zh"
    done: list[Path] = []
    failures: list[str] = []
    entries: list[tuple[str, Path | None, str]] = []
    iterator: Any = notebooks
    if progress:
        from tqdm.auto import tqdm

        iterator = tqdm(notebooks, desc="reports", unit="notebook")
    for nb in iterator:
        declared = notebook_parameters(nb)
        mine = {k: v for k, v in params.items() if k in declared}
        try:
            report = run_notebook(nb, mine, out_dir, timeout=timeout, run_at=run_at)
        except ReportError as exc:
            failures.append(str(exc))
            entries.append((nb.name, None, str(exc)))
            continue
        done.append(report)
        entries.append((nb.name, report, ""))
    index = write_index(out_dir, entries, lang=lang)
    if failures:
        raise ReportError(f"{len(failures)} of {len(notebooks)} notebook(s) failed "
                          f"(index: {index}):\n" + "\n".join(failures))
    return [*done, index]


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
        ".ck-error { color: #b42318; }</style></head>"
        f'<body class="jp-Notebook"><main><h1>{title}</h1><ul>{"".join(items)}</ul>'
        "</main></body></html>\n"
    )
    target = out / "index.html"
    target.write_text(page, encoding="utf-8")
    return target
