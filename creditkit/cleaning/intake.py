"""Intake: clean a set of export files together and tabulate what happened.

What ``notebooks/01-data-quality.ipynb`` shows, as package functions: clean
customer files, then bills (checked against those customers), then payments
(checked against bills and customers); summarise rows and money per file;
quarantine counts by reason; column quality; quarantined rows and proposed
customer merges for people to browse, with personal data masked by default.

Examples
--------
>>> from pathlib import Path
>>> import creditkit
>>> samples = Path(creditkit.__file__).parents[1] / "datasets" / "samples"
>>> res = clean_sources([samples / "customers_crm.csv"], bills=samples / "bills.csv")
>>> intake_summary(res)[["file", "rows_in", "rows_clean"]].values.tolist()
[['customers_crm.csv', 15, 4], ['bills.csv', 21, 5]]
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, TypeVar

import pandas as pd

from creditkit.checks import check_lang
from creditkit.cleaning.clean import clean_bills, clean_customers, clean_payments
from creditkit.cleaning.explain import explain_quarantine, value_as_written
from creditkit.cleaning.quality import quality_table, quarantine_counts
from creditkit.cleaning.quarantine import CleanResult, duplicate_messages
from creditkit.exceptions import ParameterError
from creditkit.labels import label
from creditkit.schema import TABLES

__all__ = [
    "clean_sources",
    "column_quality",
    "customer_duplicates",
    "intake_summary",
    "quarantine_frames",
    "quarantine_rows",
    "reasons_by_file",
    "table_label",
]

# columns whose values are personal in some table: their quoted values are masked in messages
_RAISES = """    Raises
    ------
    ParameterError
        When ``results`` is not a dict of CleanResult.

"""
_T = TypeVar("_T")
_PERSONAL = {c.name: c.pii for t in TABLES.values() for c in t.columns if c.personal and c.pii}


def _per_file(func: Callable[..., _T]) -> Callable[..., _T]:
    """Check ``results`` (what :func:`clean_sources` returns) before ``func`` tabulates it.

    Adds the Raises section all these tabulations share to the docstring.
    """

    @functools.wraps(func)
    def checked(results: Any, *args: Any, **kwargs: Any) -> _T:
        if not isinstance(results, Mapping) or not all(
                isinstance(r, CleanResult) for r in results.values()):
            raise ParameterError(
                "expected the dict of CleanResult that clean_sources returns, got "
                f"{type(results).__name__}")
        return func(results, *args, **kwargs)

    checked.__doc__ = (func.__doc__ or "").replace("    Examples\n", _RAISES + "    Examples\n", 1)
    return checked


def _stack(parts: list[pd.DataFrame], cols: list[str]) -> pd.DataFrame:
    """Per-file frames one under the other, in ``cols`` order (empty but typed when none)."""
    if not parts:
        return pd.DataFrame(columns=cols)
    return pd.concat(parts, ignore_index=True)[cols]


def table_label(table: str, lang: str = "zh") -> str:
    """The name of a creditkit table for people (``"customers"`` -> ``"客户"``).

    Examples
    --------
    >>> table_label("customers"), table_label("bills", "en")
    ('客户', 'Bills')
    """
    return label(f"table_{table}", check_lang(lang))


def clean_sources(
    customers: Sequence[str | os.PathLike[str]] = (),
    *,
    bills: str | os.PathLike[str] | None = None,
    payments: str | os.PathLike[str] | None = None,
    as_of: Any = None,
    dayfirst: bool | None = None,
) -> dict[str, CleanResult]:
    """Read and clean export files in dependency order; return results by file name.

    Customer files are cleaned one by one; their clean rows together are the
    customers that bills and payments must refer to. Bills are then the bills
    payments must name.

    Parameters
    ----------
    customers : sequence of paths
        Customer master files (e.g. one from the CRM, one from the ERP).
    bills, payments : path, optional
        A bills file and a payments file.
    as_of, dayfirst
        As for :func:`~creditkit.cleaning.clean_bills`.

    Returns
    -------
    dict of str to CleanResult
        By file name, in the order cleaned.

    Raises
    ------
    ParameterError
        When no file is given, or ``customers`` is a single path instead of a list.
    DataReadError
        When a file cannot be read (from :func:`creditkit.io.read_table`).

    Examples
    --------
    >>> clean_sources([])
    Traceback (most recent call last):
    ...
    creditkit.exceptions.ParameterError: no file to clean; pass customers=[...], bills= or payments=
    """
    from creditkit.io import read_table

    if isinstance(customers, str | os.PathLike):
        raise ParameterError(
            f"customers must be a list of paths, got one path {str(customers)!r}; "
            "pass customers=[path]")
    if not customers and bills is None and payments is None:
        raise ParameterError("no file to clean; pass customers=[...], bills= or payments=")
    out: dict[str, CleanResult] = {}
    opts = {"as_of": as_of, "dayfirst": dayfirst}
    for path in customers:
        out[Path(path).name] = clean_customers(read_table(path, table="customers"), **opts)
    known = None
    if customers:
        known = pd.concat([r.clean for r in out.values()], ignore_index=True)
    bill_result = None
    if bills is not None:
        bill_result = clean_bills(read_table(bills, table="bills"), customers=known, **opts)
        out[Path(bills).name] = bill_result
    if payments is not None:
        out[Path(payments).name] = clean_payments(
            read_table(payments, table="payments"), bills=bill_result, customers=known, **opts)
    return out


@_per_file
def intake_summary(results: Mapping[str, CleanResult], *, lang: str = "zh") -> pd.DataFrame:
    """One row per file: rows in, clean, quarantined, merged; money in; invariants.

    Parameters
    ----------
    results : dict of CleanResult
    lang : {"zh", "en"}, default "zh"
        Language of the table names (``客户``) and of the money in column
        (readable amounts per currency, e.g. ``CN¥1,200.00; US$200.00``; the
        exact minor units are in each result's ``money_in``).

    Examples
    --------
    >>> import pandas as pd
    >>> from creditkit.cleaning import clean_payments
    >>> r = {"p.csv": clean_payments(pd.DataFrame({"payment_id": ["P1"],
    ...      "paid_date": ["2025-01-01"], "amount": ["1200"]}))}
    >>> intake_summary(r, lang="en")[["rows_clean", "money_in", "invariants_ok"]].values.tolist()
    [[1, 'CN¥1,200.00', True]]
    """
    from creditkit.money import format_minor

    rows = []
    for name, r in results.items():
        s = r.summary()
        money = "; ".join(format_minor(v, c, lang=lang) for c, v in s["money_in"].items())
        rows.append({"file": name, "table": table_label(r.table, lang), "rows_in": s["rows_in"],
                     "rows_clean": s["rows_clean"], "rows_quarantined": s["rows_quarantined"],
                     "rows_merged": s["rows_merged"], "money_in": money,
                     "invariants_ok": s["invariants_ok"]})
    return pd.DataFrame(rows)


@_per_file
def reasons_by_file(results: Mapping[str, CleanResult], *,
                    lang: str | None = None) -> pd.DataFrame:
    """Quarantined and merged rows per file and reason (``file, table, reason, rows``).

    Parameters
    ----------
    results : dict of CleanResult
    lang : {"zh", "en"}, optional
        Name the tables in this language (``客户``); by default they keep their
        code (``customers``).

    Examples
    --------
    >>> import pandas as pd
    >>> from creditkit.cleaning import clean_payments
    >>> r = {"p.csv": clean_payments(pd.DataFrame({"payment_id": ["P1"],
    ...      "paid_date": ["2025-02-30"], "amount": ["9"]}))}
    >>> reasons_by_file(r)[["reason", "rows"]].values.tolist()
    [['impossible_date', 1]]
    """
    parts = []
    for name, r in results.items():
        c = quarantine_counts(r).groupby("reason", sort=False, as_index=False)["rows"].sum()
        table = r.table if lang is None else table_label(r.table, lang)
        parts.append(c.assign(file=name, table=table))
    return _stack(parts, ["file", "table", "reason", "rows"])


@_per_file
def column_quality(results: Mapping[str, CleanResult]) -> pd.DataFrame:
    """Completeness, validity and uniqueness rates of every column of every file.

    The rates of :func:`~creditkit.cleaning.quality_table`, named ``*_rate``
    so reports show them as percentages.

    Examples
    --------
    >>> import pandas as pd
    >>> from creditkit.cleaning import clean_payments
    >>> r = {"p.csv": clean_payments(pd.DataFrame({"payment_id": ["P1", "P2"],
    ...      "paid_date": ["2025-01-01", ""], "amount": ["9", "1"]}))}
    >>> column_quality(r).set_index("column").loc["paid_date", "completeness_rate"]
    np.float64(0.5)
    """
    rates = ["completeness", "validity", "uniqueness"]
    parts = [quality_table(r).assign(file=name).rename(columns={c: f"{c}_rate" for c in rates})
             for name, r in results.items()]
    return _stack(parts, ["file", "column", *(f"{c}_rate" for c in rates)])


def _mask_messages(q: pd.DataFrame) -> pd.Series:
    """Messages with the quoted value masked when it sits in a personal column."""
    from creditkit.privacy import mask_id_number, mask_name, mask_phone

    maskers = {"name": mask_name, "id_number": mask_id_number, "phone": mask_phone}
    msg = q["message"].astype("str")
    parts = msg.str.extract(r"^(?P<pre>.*?\(got ')(?P<val>.*?)(?P<post>'\).*)$")
    for col, kind in _PERSONAL.items():
        rows = (q["column"] == col) & parts["val"].notna()
        if rows.any():
            masked = maskers.get(kind, mask_name)(parts.loc[rows, "val"]).fillna("***")
            msg = msg.where(~rows, parts["pre"] + masked + parts["post"])
    return msg


@_per_file
def quarantine_rows(results: Mapping[str, CleanResult], *, mask: bool = True,
                    lang: str | None = None) -> pd.DataFrame:
    """Every quarantined and merged row of every file, for people to read.

    Parameters
    ----------
    results : dict of CleanResult
    mask : bool, default True
        Mask personal values quoted in messages and leave out the raw row
        text (it holds names, ID numbers and phones).
    lang : {"zh", "en"}, optional
        Show an ``explanation`` in this language (the column's label and why
        the row is held back: :func:`~creditkit.cleaning.explain_quarantine`)
        instead of the machine ``message``, and the value as written in a
        column of its own, ``value_as_written`` (data, in the file's language).

    Returns
    -------
    DataFrame
        ``file, source_line, reason, column, key, message`` (with ``lang``:
        ``explanation, value_as_written``), + ``raw`` unmasked.
        ``source_line`` is the line of the file a person sees in an editor
        (header = line 1; the sheet row in a workbook); messages citing
        ``line N`` cite the same number. When some rows did not come from a
        file (a frame built in code, Parquet, DuckDB) their ``source_line``
        is ``<NA>`` and a ``source_row`` column (the row's position, 1 =
        first data row) follows it, so every row can still be found.

    Examples
    --------
    >>> import pandas as pd
    >>> from creditkit.cleaning import clean_customers
    >>> r = {"c.csv": clean_customers(pd.DataFrame({"customer_id": ["C1"], "name": ["张三"],
    ...      "kind": ["个人"], "phone": ["13800135678x"]}))}
    >>> quarantine_rows(r)["message"][0].endswith("(got '138****5678')")
    True
    >>> quarantine_rows(r, lang="zh")[["explanation", "value_as_written"]].iloc[0].tolist()
    ['手机号：既不是 11 位手机号，也不是带区号的固定电话', '138****5678']
    """
    parts = []
    for name, r in results.items():
        q = r.quarantine
        m = r.merged.assign(column="*", message=duplicate_messages(r.merged))
        both = pd.concat([q, m[[c for c in q.columns if c in m.columns]]], ignore_index=True)
        parts.append(both.assign(file=name))
    cols = ["file", "source_line", "reason", "column", "key", "message"]
    if not parts:
        return pd.DataFrame(columns=cols)
    out = pd.concat(parts, ignore_index=True).sort_values(["file", "source_row"], kind="stable")
    if out["source_line"].isna().any():  # rows without a file line: say where they are
        cols.insert(2, "source_row")
    if mask:
        out = out.assign(message=_mask_messages(out))
    else:
        cols.append("raw")
    if lang is not None:
        out = out.assign(message=explain_quarantine(out, lang, quote_value=False),
                         value_as_written=value_as_written(out)).rename(
            columns={"message": "explanation"})
        cols[cols.index("message"):cols.index("message") + 1] = ["explanation",
                                                                  "value_as_written"]
    return out[cols].reset_index(drop=True)


@_per_file
def quarantine_frames(results: Mapping[str, CleanResult], *, mask: bool = True,
                      extra: Mapping[str, pd.DataFrame] | None = None,
                      lang: str | None = None) -> dict[str, pd.DataFrame]:
    """Quarantined rows split by reason (for a table browser), plus ``extra`` frames.

    ``mask`` and ``lang`` are as for :func:`quarantine_rows`.

    Examples
    --------
    >>> import pandas as pd
    >>> from creditkit.cleaning import clean_payments
    >>> r = {"p.csv": clean_payments(pd.DataFrame({"payment_id": ["P1", "P2"],
    ...      "paid_date": ["x", "2025-02-30"], "amount": ["9", "1"]}))}
    >>> sorted(quarantine_frames(r))
    ['impossible_date', 'unparseable_date']
    """
    rows = quarantine_rows(results, mask=mask, lang=lang)
    out = {str(k): g.drop(columns="reason").reset_index(drop=True)
           for k, g in rows.groupby("reason", sort=False)}
    out.update(extra or {})
    return out


@_per_file
def customer_duplicates(results: Mapping[str, CleanResult], *, mask: bool = True,
                        auto: float = 0.9, review: float = 0.6) -> dict[str, Any]:
    """Proposed merges among the clean customers of every customer file.

    Returns
    -------
    dict
        ``result`` (:class:`~creditkit.cleaning.dedupe.DedupeResult`), ``stats``
        (one-row frame), ``merges`` (auto merges) and ``review`` (pairs for a
        person), the last two with names, ID numbers and phones masked when
        ``mask``.

    Examples
    --------
    >>> import pandas as pd
    >>> from creditkit.cleaning import clean_customers
    >>> c = clean_customers(pd.DataFrame({"customer_id": ["C1", "E1"], "name": ["张三", "张 三"],
    ...     "kind": ["个人"] * 2, "phone": ["13800135678", "+86 138 0013 5678"]}))
    >>> customer_duplicates({"c.csv": c})["merges"][["old_id", "surviving_id"]].values.tolist()
    [['E1', 'C1']]
    """
    from creditkit.cleaning.dedupe import find_duplicates
    from creditkit.privacy import mask_pii

    frames = [r.clean for r in results.values() if r.table == "customers"]
    customers = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(
        columns=TABLES["customers"].names)
    res = find_duplicates(customers, auto=auto, review=review)
    merges = res.merge_map.merge(customers[["customer_id", "name"]].rename(
        columns={"customer_id": "old_id"}), on="old_id", how="left")
    review_pairs = res.review
    if mask:
        merges = mask_pii(merges, columns={"name": "name"})
        kinds = {f"{side}_{c}": k for side in ("left", "right")
                 for c, k in (("name", "name"), ("id_number", "id_number"), ("phone", "phone"))}
        review_pairs = mask_pii(review_pairs, columns={c: k for c, k in kinds.items()
                                                       if c in review_pairs.columns})
    # one row of counts; list-valued entries (sizes of blocks not expanded) become counts
    stats = {k: (len(v) if isinstance(v, list | tuple) else v) for k, v in res.stats.items()}
    return {"result": res, "stats": pd.DataFrame([stats]), "merges": merges,
            "review": review_pairs}
