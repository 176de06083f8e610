"""Writing a customer's legal evidence pack: one CSV or XLSX per item and an HTML summary.

The files go through :mod:`creditkit.export`: a cell that a spreadsheet would
run as a formula (``=``, ``+``, ``-``, ``@``, tab, CR) gets a leading ``'``,
and every file is written atomically (a crash leaves the old file or none,
never half of one). The tables a lawyer files are written as they are
(``mask=False``, the default: a claim needs the debtor's real name and ID);
the HTML summary, meant to be read around the team, is always masked
(张*, 138****5678) and every value escaped.

Examples
--------
>>> EVIDENCE_ITEMS[:3]
('contract', 'bills', 'payments')
"""

from __future__ import annotations

import html
import os
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from creditkit.checks import check_lang
from creditkit.exceptions import ParameterError
from creditkit.export import write_atomic, write_csv, write_excel
from creditkit.labels import label
from creditkit.privacy import mask_pii

__all__ = ["EVIDENCE_ITEMS", "evidence_summary_html", "export_evidence"]

#: The items of an evidence pack, in the order a lawyer reads them.
EVIDENCE_ITEMS: tuple[str, ...] = ("contract", "bills", "payments", "reminders", "promises",
                                   "plans", "balance")


def _check_pack(pack: object) -> Mapping[str, pd.DataFrame]:
    if not isinstance(pack, Mapping) or not set(EVIDENCE_ITEMS) <= set(pack):
        raise ParameterError(f"pack must be evidence_pack's result, with {list(EVIDENCE_ITEMS)}")
    return pack


def evidence_summary_html(pack: Mapping[str, pd.DataFrame], *, lang: str = "zh",
                          max_rows: int = 200) -> str:
    """A standalone, offline HTML page of the pack: masked, escaped, in one language.

    Examples
    --------
    >>> from creditkit.restricted.legal import evidence_pack
    >>> from creditkit.datasets import make_portfolio
    >>> book = make_portfolio(50, seed=3, end="2025-06-30")
    >>> page = evidence_summary_html(evidence_pack(book, "C00000001", as_of="2025-06-30"),
    ...                              lang="en")
    >>> "<h2>Bills and due dates</h2>" in page, book["customers"]["name"].iloc[0] in page
    (True, False)
    """
    from creditkit.display import table_html

    check_lang(lang)
    pack = _check_pack(pack)
    contract = pack["contract"]
    cid = str(contract["customer_id"].iloc[0]) if len(contract) else ""
    title = f"{label('legal_evidence_title', lang)} · {cid}"
    parts = [f"<!DOCTYPE html><html lang=\"{lang}\"><head><meta charset=\"utf-8\">"
             f"<title>{html.escape(title)}</title></head><body>",
             f"<h1>{html.escape(title)}</h1>"]
    for item in EVIDENCE_ITEMS:
        frame = mask_pii(pack[item], "customers" if item == "contract" else None)
        parts.append(f"<h2>{html.escape(label(f'evidence_{item}', lang))}</h2>")
        if frame.empty:
            parts.append(f"<p>{html.escape(label('evidence_none', lang))}</p>")
        else:
            parts.append(table_html(frame, lang=lang, max_rows=max_rows))
    parts.append("</body></html>")
    return "\n".join(parts)


def export_evidence(pack: Mapping[str, pd.DataFrame], out_dir: str | os.PathLike[str], *,
                    fmt: str = "csv", lang: str = "zh", mask: bool = False) -> dict[str, Path]:
    """Write a customer's evidence pack into ``out_dir/<customer_id>/``.

    Parameters
    ----------
    pack : dict
        :func:`~creditkit.restricted.legal.evidence_pack`.
    out_dir : path
        Created when missing.
    fmt : {"csv", "xlsx"}
        One file per item (CSV in UTF-8 with BOM for Excel, or XLSX).
    lang : {"zh", "en"}
        Language of the HTML summary.
    mask : bool, default False
        Mask personal data in the item files too (the summary always is).

    Returns
    -------
    dict
        Item name (and ``summary``) to the path written.

    Raises
    ------
    ParameterError
        Not a pack, an unknown format, a folder that cannot be written.

    Examples
    --------
    >>> import tempfile
    >>> from creditkit.restricted.legal import evidence_pack
    >>> from creditkit.datasets import make_portfolio
    >>> pack = evidence_pack(make_portfolio(50, seed=3, end="2025-06-30"), "C00000001",
    ...                      as_of="2025-06-30")
    >>> paths = export_evidence(pack, tempfile.mkdtemp())
    >>> sorted(p.name for p in paths.values())[:3]
    ['balance.csv', 'bills.csv', 'contract.csv']
    """
    pack = _check_pack(pack)
    check_lang(lang)
    if fmt not in ("csv", "xlsx"):
        raise ParameterError(f"fmt must be 'csv' or 'xlsx'; got {fmt!r}")
    cid = str(pack["contract"]["customer_id"].iloc[0])
    safe = "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in cid) or "customer"
    folder = Path(out_dir) / safe
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ParameterError(f"cannot create {str(folder)!r} ({exc}); choose a folder you can "
                             "write to") from None
    paths: dict[str, Path] = {}
    for item in EVIDENCE_ITEMS:
        target = folder / f"{item}.{fmt}"
        table = "customers" if item == "contract" else None
        if fmt == "csv":
            paths[item] = write_csv(pack[item], target, mask=mask, table=table)
        else:
            paths[item] = write_excel(pack[item], target, sheet_name=item, mask=mask,
                                      table=table)
    page = evidence_summary_html(pack, lang=lang)
    paths["summary"] = write_atomic(folder / f"summary_{lang}.html",
                                    lambda tmp: tmp.write_text(page, encoding="utf-8"))
    return paths
