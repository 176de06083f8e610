"""The data steward's first screen: rows in and where they went, money in and out.

Over every file of one intake (:func:`creditkit.cleaning.clean_sources`): rows
read, clean, quarantined and merged as duplicates (in = clean + quarantined +
merged), and the money read in against the money accounted for in the clean,
quarantined and merged rows, per currency, as control totals: amounts of every
money column (credit limits, bills, payments) added up, so that "in = out"
is one comparison. The exact per-file figures are in
:func:`creditkit.cleaning.intake_summary`.
"""

from __future__ import annotations

from collections.abc import Mapping

from creditkit.checks import check_lang
from creditkit.cleaning.quarantine import CleanResult
from creditkit.exceptions import ParameterError
from creditkit.money import format_minor

__all__ = ["intake_headline"]


def intake_headline(results: Mapping[str, CleanResult], *, lang: str = "zh") -> dict[str, object]:
    """Rows in/clean/quarantined/merged and money in = out, over every file of an intake.

    Parameters
    ----------
    results : dict of CleanResult
        From :func:`creditkit.cleaning.clean_sources` (file name → result).
    lang : {"zh", "en"}, default "zh"
        Language of the money figures (``¥`` or ``CN¥``).

    Returns
    -------
    dict
        Label key → value, for :func:`creditkit.display.headline`:
        ``rows_in``, ``rows_clean``, ``rows_quarantined``, ``rows_merged``
        (ints), ``money_in`` and ``money_out`` (control totals, formatted per
        currency, exact), ``invariants_ok`` (rows and money reconcile in every
        file).

    Raises
    ------
    ParameterError
        If ``results`` is not a non-empty mapping of CleanResult, or ``lang``
        is unknown.

    Examples
    --------
    >>> import pandas as pd
    >>> from creditkit.cleaning import clean_payments
    >>> r = {"p.csv": clean_payments(pd.DataFrame({"payment_id": ["P1", "P2"],
    ...      "paid_date": ["2025-01-01", "bad"], "amount": ["1200", "30"]}))}
    >>> h = intake_headline(r, lang="en")
    >>> h["rows_in"], h["rows_quarantined"], h["money_in"], h["money_out"], h["invariants_ok"]
    (2, 1, 'CN¥1,230.00', 'CN¥1,230.00', True)
    """
    check_lang(lang)
    if not isinstance(results, Mapping) or not results or not all(
            isinstance(r, CleanResult) for r in results.values()):
        raise ParameterError("intake_headline needs the results of "
                             "creditkit.cleaning.clean_sources (file name -> CleanResult)")
    rows = dict.fromkeys(("rows_in", "rows_clean", "rows_quarantined", "rows_merged"), 0)
    money_in: dict[str, int] = {}
    money_out: dict[str, int] = {}
    ok = True
    for result in results.values():
        summary = result.summary()
        for key in rows:
            rows[key] += int(summary[key])
        checks = result.invariants()
        ok = ok and bool(checks["ok"].all())
        for check in checks.itertuples():
            if str(check.check).startswith("money "):
                cur = str(check.check).removeprefix("money ")
                money_in[cur] = money_in.get(cur, 0) + int(check.expected)
                money_out[cur] = money_out.get(cur, 0) + int(check.got)

    def text(money: dict[str, int]) -> str:
        return "; ".join(format_minor(v, c, lang=lang) for c, v in sorted(money.items())) or "–"

    return {**rows, "money_in": text(money_in), "money_out": text(money_out),
            "invariants_ok": ok}
