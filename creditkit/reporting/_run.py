"""Running notebooks with papermill and turning them into reports."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import time
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from creditkit.checks import check_lang
from creditkit.exceptions import DataReadError, ParameterError, ReportError
from creditkit.reporting._export import export_html, manifest_html, write_index
from creditkit.reporting._manifest import build_manifest, check_notebook, notebook_parameters


def _report_lang(value: Any) -> str:
    """The language of the report's own parts (manifest, index): ``value`` if valid, else zh.

    A wrong ``lang`` parameter fails inside the notebook, which names it; the
    report around it falls back to zh rather than hide that error behind its own.
    """
    try:
        return check_lang(value)
    except ParameterError:
        return "zh"


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


def _check_timeout(timeout: Any) -> None:
    if not isinstance(timeout, int) or timeout <= 0:
        raise ParameterError(f"timeout must be a positive number of seconds, got {timeout!r}")


def _parameters(nb_path: Path, parameters: Mapping[str, Any] | None
                ) -> tuple[dict[str, Any], dict[str, Any]]:
    """(values passed to papermill, every parameter's effective value); unknown names raise.

    Relative ``*_path`` values are taken from the caller's working directory and
    passed as absolute paths (the notebook runs in its own folder).
    """
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
    return given, {**defaults, **given}


_ENGINE = "creditkit"


def _register_engine() -> None:
    """papermill's nbclient engine, saving the notebook once at the end instead of twice a cell.

    papermill writes the whole output notebook (plotly.js inlined: 5 MB) before and after
    every cell; over a report's 20-60 cells that was seconds of CPU for nothing, since the
    HTML is made from the final notebook. A run that stops on an exception (a cell timing
    out) still writes what it has, so the partial notebook is kept as before.
    """
    from papermill.engines import NBClientEngine, papermill_engines

    class _Engine(NBClientEngine):
        @classmethod
        def execute_managed_notebook(cls, nb_man: Any, kernel_name: str, *,
                                     partial_path: str | None = None, **kwargs: Any) -> Any:
            try:
                return super().execute_managed_notebook(nb_man, kernel_name, **kwargs)
            except BaseException:
                if partial_path:
                    from papermill.iorw import write_ipynb

                    write_ipynb(nb_man.nb, partial_path)
                raise

    papermill_engines.register(_ENGINE, _Engine)


def _execute(nb_path: Path, executed: Path, partial: Path, given: Mapping[str, Any], *,
             timeout: int, kernel_name: str | None) -> float:
    """Run the notebook into ``executed`` with papermill; seconds taken. On failure the
    partial notebook is moved to ``partial`` and a ``ReportError`` raised."""
    import papermill as pm

    _register_engine()
    started = time.perf_counter()
    for attempt in range(3):
        try:
            with _env(PLOTLY_RENDERER="notebook"):
                pm.execute_notebook(
                    str(nb_path), str(executed), parameters=dict(given),
                    cwd=str(nb_path.parent),
                    kernel_name=kernel_name or _kernel_of(nb_path), language="python",
                    engine_name=_ENGINE, request_save_on_cell_execute=False,
                    partial_path=str(executed),
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
    partial.unlink(missing_ok=True)
    return time.perf_counter() - started


def _drop_console_outputs(nb: Any) -> None:
    """Remove stderr (warnings are for the analyst's console) and plotly's CDN MathJax link."""
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        cell.outputs = [o for o in cell.outputs
                        if not (o.output_type == "stream" and o.name == "stderr")]
        for o in cell.outputs:  # plotly's notebook renderer always links MathJax from a CDN
            if "text/html" in o.get("data", {}):
                o.data["text/html"] = _CDN_MATHJAX.sub("", o.data["text/html"])


def _add_manifest(nb: Any, manifest: Mapping[str, Any], lang: str) -> None:
    """Put the manifest block first and in the notebook metadata; drop widget state."""
    import nbformat

    cell = nbformat.v4.new_code_cell("# creditkit report manifest")
    cell.outputs = [nbformat.v4.new_output(
        "display_data", data={"text/html": manifest_html(manifest, lang)})]
    nb.cells.insert(0, cell)
    nb.metadata.pop("widgets", None)  # widget state would pull the widget manager from a CDN
    nb.metadata["creditkit"] = {"manifest": dict(manifest)}


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
        as absolute paths; the report's manifest shows them relative to the project
        (the nearest folder above the notebook with a ``pyproject.toml`` or ``.git``),
        or by file name when outside it, never as this machine's absolute path.
        Unknown names raise (a typo would otherwise be ignored).
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

    nb_path = check_notebook(path)
    _check_timeout(timeout)
    given, effective = _parameters(nb_path, parameters)
    lang = _report_lang(effective.get("lang"))
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    executed = out / f"{nb_path.stem}.executed.ipynb"
    partial = out / f"{nb_path.stem}.failed.ipynb"
    run_at = run_at or dt.datetime.now(dt.UTC).replace(microsecond=0)

    duration = _execute(nb_path, executed, partial, given, timeout=timeout,
                        kernel_name=kernel_name)
    manifest = build_manifest(nb_path, effective, run_at, duration)
    nb = nbformat.read(executed, as_version=4)
    _drop_console_outputs(nb)
    _add_manifest(nb, manifest, lang)
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


#: Thread pools of the native libraries a kernel uses (OpenMP: scikit-learn's boosting; BLAS).
_THREAD_VARS = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")


def _one_report(nb: Path, params: Mapping[str, Any], out_dir: str | os.PathLike, timeout: int,
                run_at: dt.datetime | None, threads: int | None = None) -> Path:
    """One notebook of :func:`run_all` with only the parameters it declares (a worker's job).

    ``threads``: the native thread pools of its kernel, unless the caller's environment
    sets them. Kernels running side by side each get their share of the cores: two
    kernels each spinning two OpenMP threads on two cores made one boosting fit take
    10x longer (7.8 s wall for 0.8 s alone), with the same result.
    """
    declared = notebook_parameters(nb)
    mine = {k: v for k, v in params.items() if k in declared}
    limits = {} if threads is None else {v: str(threads) for v in _THREAD_VARS
                                         if v not in os.environ}
    with _env(**limits):
        return run_notebook(nb, mine, out_dir, timeout=timeout, run_at=run_at)


def _jobs(jobs: Any, n: int) -> int:
    """Worker processes for ``n`` notebooks: ``jobs``, or the cores (at most 4), never above n."""
    if jobs is None:
        jobs = min(os.cpu_count() or 1, 4)
    if isinstance(jobs, bool) or not isinstance(jobs, int) or jobs < 1:
        raise ParameterError(f"jobs must be a positive number of worker processes, got {jobs!r}; "
                             "pass 1 to run the notebooks one after the other")
    return max(1, min(jobs, n))


def _run_in_workers(notebooks: list[Path], params: Mapping[str, Any],
                    out_dir: str | os.PathLike, timeout: int, run_at: dt.datetime | None,
                    jobs: int, bar: Any) -> list[Path | ReportError]:
    """Each notebook's report or its ``ReportError``, in the order of ``notebooks``.

    ``jobs`` worker processes (spawned: no thread or kernel socket of this process is
    inherited) each run one notebook at a time; a worker that dies (killed, out of
    memory) fails its notebook only, with a message naming it.
    """
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor, as_completed
    from concurrent.futures.process import BrokenProcessPool

    results: list[Path | ReportError | None] = [None] * len(notebooks)
    with ProcessPoolExecutor(max_workers=jobs,
                             mp_context=multiprocessing.get_context("spawn")) as pool:
        threads = max(1, (os.cpu_count() or 1) // jobs)
        futures = {pool.submit(_one_report, nb, params, out_dir, timeout, run_at, threads): i
                   for i, nb in enumerate(notebooks)}
        for future in as_completed(futures):
            i = futures[future]
            try:
                results[i] = future.result()
            except ReportError as exc:
                results[i] = exc
            except BrokenProcessPool as exc:
                results[i] = ReportError(
                    f"notebook {notebooks[i].name} failed: its worker process died ({exc}): "
                    "killed, out of memory, or started from a script that calls run_all "
                    "outside `if __name__ == \"__main__\":` (each worker imports that script); "
                    f"run it alone with `creditkit report {notebooks[i]}`, or pass jobs=1")
            if bar is not None:
                bar.update()
    return [r for r in results if r is not None]


def run_all(
    notebooks_dir: str | os.PathLike,
    out_dir: str | os.PathLike = "reports",
    parameters: Mapping[str, Any] | None = None,
    *,
    timeout: int = 600,
    progress: bool = False,
    run_at: dt.datetime | None = None,
    jobs: int | None = None,
) -> list[Path]:
    """Run every ``*.ipynb`` of a folder, a few at a time, and write ``index.html``.

    Each notebook receives only the ``parameters`` it declares, so shared values
    (``store_path``, ``lang``, ``as_of``) can be given once. Every notebook is
    attempted; failures are listed in the index and raised together at the end.
    Notebooks run in ``jobs`` worker processes at once (each with its own kernel);
    the reports, the index and the failures keep the notebooks' name order
    whichever finishes first. The notebooks only read their data: anything they
    share (the store) must exist before, as ``creditkit demo`` makes sure.

    Parameters
    ----------
    notebooks_dir : path
        The folder; ``*.failed.ipynb`` and ``*.executed.ipynb`` in it are skipped.
    out_dir : path, default "reports"
    parameters : mapping, optional
        Shared values; each notebook gets those of its ``parameters`` cell.
    timeout : int, default 600
        Seconds a single cell may run.
    progress : bool, default False
        A progress bar over the notebooks.
    run_at : datetime, optional
        Time stamped in every manifest; default the time each notebook runs (UTC).
    jobs : int, optional
        Notebooks run at the same time; default the machine's cores, at most 4
        (each kernel needs its own memory). 1 runs them one after the other in
        this process. Workers are spawned processes, which import the script
        that started them: in a script, call ``run_all`` under
        ``if __name__ == "__main__":`` (a notebook or ``creditkit demo`` need nothing).

    Returns
    -------
    list of Path
        The HTML reports in name order, then ``index.html`` last.

    Raises
    ------
    DataReadError
        If the folder holds no notebook.
    ParameterError
        If ``jobs`` is not a positive int, or ``timeout`` not a positive number.
    ReportError
        If any notebook failed (after the others ran), naming each failure.

    Examples
    --------
    >>> import nbformat, tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1")]),
    ...                d / "00-a.ipynb")
    >>> [p.name for p in run_all(d, d / "out", {"lang": "en"}, timeout=60, jobs=1)]
    ['00-a.html', 'index.html']
    """
    folder = Path(notebooks_dir)
    notebooks = sorted(p for p in folder.glob("*.ipynb") if not p.name.startswith(".")
                       and not p.name.endswith((".failed.ipynb", ".executed.ipynb")))
    if not notebooks:
        raise DataReadError(f"no notebooks (*.ipynb) in {str(folder)!r}; pass the notebooks folder")
    _check_timeout(timeout)
    workers = _jobs(jobs, len(notebooks))
    params = dict(parameters or {})
    lang = _report_lang(params.get("lang"))
    bar: Any = None
    if progress:
        from tqdm.auto import tqdm

        bar = tqdm(total=len(notebooks), desc="reports", unit="notebook")
    results: list[Path | ReportError]
    try:
        if workers == 1:
            results = []
            for nb in notebooks:
                try:
                    results.append(_one_report(nb, params, out_dir, timeout, run_at))
                except ReportError as exc:
                    results.append(exc)
                if bar is not None:
                    bar.update()
        else:
            results = _run_in_workers(notebooks, params, out_dir, timeout, run_at, workers, bar)
    finally:
        if bar is not None:
            bar.close()
    done = [r for r in results if isinstance(r, Path)]
    failures = [str(r) for r in results if isinstance(r, ReportError)]
    entries = [(_title(nb), r if isinstance(r, Path) else None,
                "" if isinstance(r, Path) else str(r))
               for nb, r in zip(notebooks, results, strict=True)]
    index = write_index(out_dir, entries, lang=lang)
    if failures:
        raise ReportError(f"{len(failures)} of {len(notebooks)} notebook(s) failed "
                          f"(index: {index}):\n" + "\n".join(failures))
    return [*done, index]
