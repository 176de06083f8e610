"""Running notebooks with papermill and turning them into reports."""

from __future__ import annotations

import ast
import contextlib
import datetime as dt
import os
import re
import time
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from creditkit.exceptions import DataReadError, ParameterError, ReportError
from creditkit.labels import LANGS
from creditkit.reporting._html import export_html, manifest_html, write_index


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

    Reads the fingerprint :func:`creditkit.store.write_tables` keeps in the store's
    ``meta`` table (:func:`creditkit.store.fingerprint` of the tables last written);
    a DuckDB file without one gets a hash of, per table, its name, row count and
    the sum of DuckDB row hashes.

    Examples
    --------
    >>> data_fingerprint("no/such/store.duckdb") is None
    True
    """
    p = Path(store_path)
    if not p.is_file():
        return None
    from creditkit.exceptions import CreditkitError, StoreLockedError
    from creditkit.store import read_meta

    try:
        kept = read_meta(p).get("fingerprint")
    except StoreLockedError:  # another kernel writes it: say so, not a duckdb traceback
        raise
    except CreditkitError:  # not a creditkit store, or no meta table
        kept = None
    if kept:
        return str(kept)
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
        Also keep the executed notebook as ``<stem>.executed.ipynb`` next to the HTML
        (a distinct name, so ``out_dir`` may be the notebooks folder itself).
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
    executed = out / f"{nb_path.stem}.executed.ipynb"
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
                    # the kernel's own log (TCP transport notice) is noise on a terminal
                    extra_arguments=["--IPKernelApp.log_level=ERROR"],
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
        "display_data", data={"text/html": manifest_html(manifest, lang)})]
    nb.cells.insert(0, cell)
    nb.metadata.pop("widgets", None)  # widget state would pull the widget manager from a CDN
    nb.metadata["creditkit"] = {"manifest": manifest}
    target = out / f"{nb_path.stem}.html"
    target.write_text(export_html(nb, lang, nb_path.stem), encoding="utf-8")
    if keep_ipynb:
        nbformat.write(nb, executed)
    else:
        executed.unlink(missing_ok=True)
    return target


def _title(nb_path: Path) -> str:
    """'<first markdown heading> (<file name>)', or the file name."""
    import nbformat

    for cell in nbformat.read(nb_path, as_version=4).cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("#"):
                    return f"{line.lstrip('#').strip()} ({nb_path.name})"
            break
    return nb_path.name


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
    notebooks = sorted(p for p in folder.glob("*.ipynb") if not p.name.startswith(".")
                       and not p.name.endswith((".failed.ipynb", ".executed.ipynb")))
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
        title = _title(nb)
        try:
            report = run_notebook(nb, mine, out_dir, timeout=timeout, run_at=run_at)
        except ReportError as exc:
            failures.append(str(exc))
            entries.append((title, None, str(exc)))
            continue
        done.append(report)
        entries.append((title, report, ""))
    index = write_index(out_dir, entries, lang=lang)
    if failures:
        raise ReportError(f"{len(failures)} of {len(notebooks)} notebook(s) failed "
                          f"(index: {index}):\n" + "\n".join(failures))
    return [*done, index]


