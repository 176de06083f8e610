"""What a report records of its run: the parameters, the data fingerprint, the manifest.

Paths are recorded as a reader of the report should see them: relative to the
project that holds the notebook, or by file name when outside it, never as an
absolute path of the machine that made the report.
"""

from __future__ import annotations

import ast
import datetime as dt
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from creditkit.exceptions import DataReadError, ParameterError

#: Files that mark the root of a project (the folder a report's paths are shown from).
_PROJECT_MARKERS = ("pyproject.toml", ".git")


def check_notebook(path: str | os.PathLike) -> Path:
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

    nb = nbformat.read(check_notebook(path), as_version=4)
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


def creditkit_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("creditkit")
    except PackageNotFoundError:  # pragma: no cover - source tree not installed
        return "0.0.0+unknown"


def project_root(nb_path: Path) -> Path:
    """The project a notebook belongs to: the nearest folder above it with a
    ``pyproject.toml`` or ``.git``, else the notebook's own folder."""
    for folder in nb_path.parents:
        if any((folder / marker).exists() for marker in _PROJECT_MARKERS):
            return folder
    return nb_path.parent


def shown_path(value: str, nb_path: Path) -> str:
    """``value`` (a path parameter) as a report shows it: relative to the project, else its name.

    A relative value is read from the notebook's folder, as the notebook reads it.
    """
    root = project_root(nb_path).resolve()
    p = Path(value)
    full = (p if p.is_absolute() else nb_path.parent / p).resolve()
    try:
        return full.relative_to(root).as_posix()
    except ValueError:
        return full.name


def _store_fingerprint(effective: Mapping[str, Any], nb_path: Path) -> str | None:
    store = effective.get("store_path")
    if not isinstance(store, str):
        return None
    sp = Path(store)
    return data_fingerprint(sp if sp.is_absolute() else nb_path.parent / sp)


def build_manifest(nb_path: Path, effective: Mapping[str, Any], run_at: dt.datetime,
                   duration_s: float) -> dict[str, Any]:
    """The manifest of one run; ``*_path`` parameters shown by :func:`shown_path`."""
    shown = {k: shown_path(v, nb_path) if k.endswith("_path") and isinstance(v, str) else v
             for k, v in effective.items()}
    return {
        "notebook": nb_path.name,
        "parameters": shown,
        "as_of": effective.get("as_of"),
        "data_fingerprint": _store_fingerprint(effective, nb_path),
        "creditkit_version": creditkit_version(),
        "run_at": run_at.isoformat(),
        "duration_s": round(duration_s, 1),
    }
