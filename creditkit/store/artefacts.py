"""What produced a snapshot: scorecards, rule files and policies, with version and fingerprint.

The ``artefacts`` table holds each distinct content once per kind
(``card_B``, ``card_C``, ``tier_rules``, ``tag_rules``, ``value_rules``,
``dunning_policy``, ``reconcile_rules``, ``review_policy``, ``alert_rules``,
``restriction_policy``): its name, version, fingerprint (the first 16 hex
characters of the SHA-256 of the content), the first snapshot date that used
it and the content itself, so a past snapshot can be re-run with exactly what
produced it. ``snapshot_runs.artefacts`` lists the fingerprints each date used.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pandas as pd

from creditkit.exceptions import DataReadError, ParameterError
from creditkit.store._db import check_version, connect, existing, table_names

__all__ = ["artefact_row", "content_fingerprint", "list_artefacts", "read_artefact", "run_info"]


def content_fingerprint(content: str) -> str:
    """SHA-256 of the text (UTF-8), first 16 hex characters.

    Examples
    --------
    >>> content_fingerprint("id,tier\\n")
    'bcb47587adad19bd'
    """
    if not isinstance(content, str):
        raise ParameterError(f"an artefact's content is text (JSON, CSV); got "
                             f"{type(content).__name__}")
    return hashlib.sha256(content.encode("utf-8")).hexdigest()[:16]


def artefact_row(kind: str, content: str, *, name: str, version: str | None = None) -> dict:
    """One row of the ``artefacts`` table (without its first date).

    Parameters
    ----------
    kind : str
        What it is: ``card_B``, ``tier_rules``, ``dunning_policy`` ...
    content : str
        The file's text (a card's JSON, a rule CSV).
    name : str
        Where it came from (a file name, ``shipped``).
    version : str, optional
        Its own version (a card's ``version``); default ``fp-<fingerprint>``.

    Returns
    -------
    dict
        ``kind``, ``name``, ``version``, ``fingerprint``, ``content``.

    Examples
    --------
    >>> r = artefact_row("tier_rules", "id,tier\\n", name="tier_rules.csv")
    >>> r["version"], r["fingerprint"]
    ('fp-bcb47587adad19bd', 'bcb47587adad19bd')
    """
    if not isinstance(kind, str) or not kind:
        raise ParameterError(f"an artefact's kind is a non-empty text; got {kind!r}")
    fp = content_fingerprint(content)
    return {"kind": kind, "name": str(name), "version": version or f"fp-{fp}",
            "fingerprint": fp, "content": content}


def _read(path: str | Path, sql: str, params: list) -> pd.DataFrame:
    p = existing(path)
    con = connect(p, read_only=True, wait=30.0)
    try:
        check_version(con, p, need=2)
        return con.execute(sql, params).df()
    finally:
        con.close()


def list_artefacts(path: str | Path) -> pd.DataFrame:
    """The artefacts kept in the store, without their content, oldest first.

    Returns
    -------
    DataFrame
        ``kind``, ``name``, ``version``, ``fingerprint``, ``first_as_of``.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from creditkit.store import write_update
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "s.duckdb"
    >>> rows = pd.DataFrame([artefact_row("tier_rules", "id,tier\\n", name="t.csv")])
    >>> _ = write_update(path, pd.DataFrame({"customer_id": ["C1"]}), as_of="2025-06-30",
    ...                  artefacts=rows)
    >>> list_artefacts(path)[["kind", "name"]].values.tolist()
    [['tier_rules', 't.csv']]
    """
    return _read(path, "SELECT kind, name, version, fingerprint, first_as_of FROM artefacts "
                       "ORDER BY first_as_of, kind, fingerprint", [])


def read_artefact(path: str | Path, kind: str, fingerprint: str | None = None,
                  *, as_of: object = None) -> dict | None:
    """One stored artefact with its content: by fingerprint, or the one in use at a date.

    Parameters
    ----------
    path : str or Path
    kind : str
        E.g. ``card_B``.
    fingerprint : str, optional
        That exact content.
    as_of : date-like, optional
        Without ``fingerprint``: the artefact of this kind the snapshot of
        ``as_of`` (or the latest snapshot before it) used; without either,
        the latest stored.

    Returns
    -------
    dict or None
        The row (``kind``, ``name``, ``version``, ``fingerprint``,
        ``first_as_of``, ``content``), or None when none is stored.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from creditkit.store import write_update
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "s.duckdb"
    >>> row = artefact_row("tier_rules", "id,tier\\n", name="t.csv")
    >>> _ = write_update(path, pd.DataFrame({"customer_id": ["C1"]}), as_of="2025-06-30",
    ...                  artefacts=pd.DataFrame([row]), run={"artefacts": {"tier_rules":
    ...                  row["fingerprint"]}})
    >>> read_artefact(path, "tier_rules", as_of="2025-07-31")["content"]
    'id,tier\\n'
    """
    if fingerprint is None and as_of is not None:
        fingerprint = run_info(path, as_of=as_of).get("artefacts", {}).get(kind)
        if fingerprint is None:
            return None
    if fingerprint is None:
        df = _read(path, "SELECT * FROM artefacts WHERE kind = ? ORDER BY first_as_of DESC, "
                         "fingerprint LIMIT 1", [kind])
    else:
        df = _read(path, "SELECT * FROM artefacts WHERE kind = ? AND fingerprint = ?",
                   [kind, fingerprint])
    return None if df.empty else df.iloc[0].to_dict()


def run_info(path: str | Path, *, as_of: object) -> dict:
    """What produced the snapshot of ``as_of`` (or the latest one before it).

    Returns
    -------
    dict
        The ``snapshot_runs`` row (``as_of``, ``creditkit_version``,
        ``schema_version``, ``data_fingerprint``, ``artefacts`` as a dict,
        ``inputs`` as a list, ``rows``, ``quarantined``, ``note``); empty when
        no run is stored at or before ``as_of``.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from creditkit.store import write_update
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "s.duckdb"
    >>> _ = write_update(path, pd.DataFrame({"customer_id": ["C1"]}), as_of="2025-06-30")
    >>> run_info(path, as_of="2025-06-30")["rows"], run_info(path, as_of="2025-01-31")
    (1, {})
    """
    from creditkit.checks import check_as_of

    day = check_as_of(as_of)
    p = existing(path)
    con = connect(p, read_only=True, wait=30.0)
    try:
        check_version(con, p, need=2)
        if "snapshot_runs" not in table_names(con):  # pragma: no cover - schema 2 has it
            raise DataReadError(f"the store {str(p)!r} has no snapshot_runs table")
        df = con.execute("SELECT * FROM snapshot_runs WHERE as_of <= ? ORDER BY as_of DESC "
                         "LIMIT 1", [day.to_pydatetime()]).df()
    finally:
        con.close()
    if df.empty:
        return {}
    row = df.iloc[0].to_dict()
    row["artefacts"] = json.loads(row["artefacts"] or "{}")
    row["inputs"] = json.loads(row["inputs"] or "[]")
    row["rows"] = int(row["rows"])
    row["quarantined"] = int(row["quarantined"])
    return row
