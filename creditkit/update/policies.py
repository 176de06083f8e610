"""The scorecards, rule files and policies an update uses, and where each comes from.

For each kind: the file the caller passes wins (and is stored); otherwise the
one the store holds (the latest stored of that kind: "the stored
scorecard"); otherwise the shipped default (stored on first use). Stored
contents are written to a temporary folder under their own file name, so the
rule engine's errors still name a file and a line.
"""

from __future__ import annotations

from collections.abc import Mapping
from importlib import resources
from pathlib import Path

from creditkit.exceptions import DataReadError, ParameterError

__all__ = ["ARTEFACT_FILES", "resolve_artefacts"]

#: Kind -> (package of the shipped default, its file in ``data/``).
ARTEFACT_FILES = {
    "card_B": ("creditkit.behaviour", "b_card.json"),
    "card_C": ("creditkit.behaviour", "c_card.json"),
    "tier_rules": ("creditkit.segmentation", "tier_rules.csv"),
    "tag_rules": ("creditkit.segmentation", "tag_rules.csv"),
    "value_rules": ("creditkit.segmentation", "value_rules.csv"),
    "reconcile_rules": ("creditkit.collections", "reconcile_rules.csv"),
    "dunning_policy": ("creditkit.collections", "dunning_policy.csv"),
    "review_policy": ("creditkit.update", "review_policy.csv"),
}


def _text(path: Path) -> str:
    data = path.read_bytes()
    for enc in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    raise ParameterError(f"{str(path)!r} is neither UTF-8 nor GB18030 text; save it as UTF-8")


def _version(kind: str, content: str) -> str | None:
    if kind.startswith("card_"):
        import json

        return str(json.loads(content).get("version"))
    return None


def resolve_artefacts(store: str | Path, given: Mapping[str, str | Path] | None,
                      workdir: str | Path) -> dict[str, dict]:
    """The artefact of every kind the update uses, with a file to read it from.

    Parameters
    ----------
    store : str or Path
        A store of the current schema (:func:`creditkit.store.migrate` first).
    given : mapping of kind to path, optional
        Files the caller chose (see :data:`ARTEFACT_FILES` for the kinds, and
        :data:`creditkit.update.concepts.OPTIONAL_ARTEFACTS` when their
        concept is part of creditkit).
    workdir : str or Path
        An empty folder for the stored contents.

    Returns
    -------
    dict
        Kind -> :func:`creditkit.store.artefact_row` plus ``path`` and
        ``source`` (``given``, ``stored`` or ``shipped``).

    Raises
    ------
    ParameterError
        An unknown kind; DataReadError a given file that does not exist.

    Examples
    --------
    >>> import tempfile, pathlib, pandas as pd
    >>> from creditkit.store import write_snapshot
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "s.duckdb"
    >>> _ = write_snapshot(path, pd.DataFrame({"customer_id": ["C1"]}), as_of="2025-06-30")
    >>> got = resolve_artefacts(path, None, tempfile.mkdtemp())
    >>> got["card_B"]["source"], got["card_B"]["version"]
    ('shipped', 'B-shipped-1')
    """
    from creditkit.store import artefact_row, read_artefact

    given = dict(given or {})
    from creditkit.update.concepts import OPTIONAL_ARTEFACTS, available

    kinds = {**ARTEFACT_FILES, **available()}
    unknown = sorted(set(given) - set(kinds))
    if unknown:
        absent = [k for k in unknown if k in OPTIONAL_ARTEFACTS]
        raise ParameterError(f"unknown artefact kind(s) {unknown}; the update reads "
                             f"{sorted(kinds)}" + (f" ({absent}: their concept is not part of "
                                                   "this creditkit)" if absent else ""))
    work = Path(workdir)
    out: dict[str, dict] = {}
    for kind, (package, name) in kinds.items():
        if kind in given and given[kind] is not None:
            path = Path(given[kind])
            if not path.is_file():
                raise DataReadError(f"{kind} file {str(path)!r} does not exist; pass an "
                                    f"existing file (the shipped one is data/{name} of {package})")
            content, source, label = _text(path), "given", path.name
        else:
            stored = read_artefact(store, kind)
            if stored is not None:
                content, source, label = stored["content"], "stored", stored["name"]
                path = None
            else:
                path = Path(str(resources.files(package).joinpath("data", name)))
                content, source, label = _text(path), "shipped", f"shipped:{name}"
        if source != "given" or path is None or kind.startswith("card_"):
            path = work / kind / Path(label.split(":")[-1]).name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(content, encoding="utf-8")
        row = artefact_row(kind, content, name=label, version=_version(kind, content))
        out[kind] = {**row, "path": path, "source": source}
    return out
