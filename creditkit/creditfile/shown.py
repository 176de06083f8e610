"""A credit file's tables as a reader sees them: coded values as label keys, reasons in words.

The store keeps codes (``high_risk``, ``high_value``, ``high_risk_dpd_30``,
``dpd=86``); a report shows 高风险 / High risk, the tier rule's description
and the values it saw under their column labels, in the report's language.

Examples
--------
>>> import pandas as pd
>>> h = pd.DataFrame({"as_of": [pd.Timestamp("2025-05-31")], "tier": ["high_risk"],
...                   "value_segment": ["potential"], "bucket": ["1-30"]})
>>> shown_history(h)[["tier", "value_segment", "bucket"]].iloc[0].tolist()
['tier_high_risk', 'segment_potential', '1-30']
"""

from __future__ import annotations

from functools import cache

import pandas as pd

from creditkit.checks import check_lang
from creditkit.labels import label
from creditkit.money import format_minor

__all__ = ["VALUE_PREFIXES", "reason_text", "shown_changes", "shown_dunning", "shown_history",
           "shown_reviews",
           "value_text"]

#: Columns whose values are labelled under a prefix (``tier_prime``, ``segment_potential``).
VALUE_PREFIXES = {"tier": "tier_", "value_segment": "segment_", "restriction_level": "rlevel_"}
#: Columns whose values are label keys as they are.
_LABELLED = ("bucket",)
#: Change-log fields not shown: tags are free text of rule outputs (``industry:…``).
_HIDDEN_FIELDS = ("tags",)


def shown_history(history: pd.DataFrame) -> pd.DataFrame:
    """The history with coded values turned into label keys; ``attrs['values']`` lists them.

    Parameters
    ----------
    history : DataFrame
        A credit file's history (:class:`creditkit.creditfile.CreditFileView`).

    Returns
    -------
    DataFrame
        A copy; pass ``values=out.attrs['values']`` to ``show_table``.
    """
    from creditkit.creditfile.view import HISTORY_COLUMNS

    out = history[[c for c in HISTORY_COLUMNS if c in history.columns]].copy()
    for col, prefix in VALUE_PREFIXES.items():
        if col in out.columns:
            out[col] = out[col].map(lambda v, p=prefix: None if pd.isna(v) else f"{p}{v}")
    out.attrs["values"] = [c for c in (*VALUE_PREFIXES, *_LABELLED) if c in out.columns]
    return out


def value_text(field: str, value: object, lang: str, currency: str = "CNY") -> str:
    """One value of the change log in words: a label, money or a number as text.

    Examples
    --------
    >>> value_text("tier", "prime", "zh"), value_text("limit_minor", "1200000", "en")
    ('优质', '¥12,000.00')
    """
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    text = str(value)
    if field in VALUE_PREFIXES:
        return label(VALUE_PREFIXES[field] + text, lang)
    if field in _LABELLED:
        return label(text, lang)
    if field == "score":
        try:
            return f"{float(text):.1f}"
        except ValueError:
            return text
    if field.endswith("_minor"):
        try:
            return format_minor(int(text), currency, symbol=True)
        except ValueError:
            return text
    return text


@cache
def _rule_descriptions(kind: str, lang: str) -> dict[str, str]:
    """Rule id -> description in ``lang`` of the shipped tier, restriction or alert rules."""
    from creditkit.rules import rules_table

    if kind == "tier":
        from creditkit.segmentation import load_tier_rules as load
    elif kind == "restriction":
        from creditkit.restricted import load_restriction_rules as load
    else:
        from creditkit.alerts import load_alert_rules as load
    table = rules_table(load(), lang)
    return dict(zip(table["rule_id"].astype(str), table["description"].astype(str), strict=True))


def _rule_list(ids: str, kind: str, lang: str) -> str:
    """``a|b`` rule ids in words (an id the shipped rules lack is shown as it is)."""
    words = _rule_descriptions(kind, lang)
    parts = [words.get(i.strip(), i.strip()) for i in ids.split("|") if i.strip()]
    return "；".join(parts) if lang == "zh" else "; ".join(parts)


def _values_seen(text: str, lang: str) -> str:
    parts = []
    for item in str(text).split(";"):
        name, _, value = item.strip().partition("=")
        if name:
            parts.append(f"{label(name.strip(), lang)} {value.strip()}" if value
                         else label(name.strip(), lang))
    return "；".join(parts) if lang == "zh" else "; ".join(parts)


def reason_text(field: str, row: pd.Series, lang: str) -> str:
    """Why ``field`` changed on a snapshot date, in words, from that date's snapshot row.

    The tier: the rule's description (the shipped tier rules; an id they lack
    is shown as it is) and the values it saw; the score: the scorecard
    version; the restriction and the alerts: their rules' descriptions (the
    shipped rule files; an id they lack is shown as it is).

    Examples
    --------
    >>> import pandas as pd
    >>> row = pd.Series({"tier_rule": "high_risk_dpd_30", "tier_values": "dpd=86"})
    >>> reason_text("tier", row, "en")
    '30 days or more past due today (Days past due 86)'
    >>> reason_text("open_alerts", pd.Series({"alert_ids": "limit_breach|no_such_rule"}), "en")
    ... # doctest: +ELLIPSIS
    '...; no_such_rule'
    """
    check_lang(lang)

    def get(col: str) -> str:
        v = row.get(col)
        return "" if v is None or (not isinstance(v, str) and pd.isna(v)) else str(v)

    if field == "tier" and get("tier_rule"):
        text = _rule_descriptions("tier", lang).get(get("tier_rule"), get("tier_rule"))
        seen = get("tier_values")
        return f"{text} ({_values_seen(seen, lang)})" if seen else text
    if field == "score" and get("scorecard_version"):
        return f"{label('scorecard_version', lang)} {get('scorecard_version')}"
    if field == "bucket" and get("dpd"):
        return f"{label('dpd', lang)} {get('dpd')}"
    if field == "restriction_level":
        return _rule_list(get("restriction_reason"), "restriction", lang)
    if field == "open_alerts":
        return _rule_list(get("alert_ids"), "alert", lang)
    return ""


def shown_changes(changes: pd.DataFrame, history: pd.DataFrame, *, lang: str = "zh",
                  currency: str = "CNY") -> pd.DataFrame:
    """The change log in words: item changed, before, after and the reason, per date.

    Parameters
    ----------
    changes : DataFrame
        ``as_of``, ``field``, ``before``, ``after`` (a credit file's ``changes``).
    history : DataFrame
        The customer's snapshots with the reason columns (``tier_rule``,
        ``tier_values``, ``scorecard_version``, ``dpd``, ``restriction_reason``,
        ``alert_ids``): the full ``CreditFile.history``.
    lang : {"zh", "en"}
    currency : str, default "CNY"
        Currency of the money fields (the limit).

    Returns
    -------
    DataFrame
        ``as_of``, ``field`` (a label key: pass ``values=["field"]``), ``before``,
        ``after``, ``reason``, newest date first.

    Examples
    --------
    >>> import pandas as pd
    >>> h = pd.DataFrame({"as_of": pd.to_datetime(["2025-05-31", "2025-06-30"]),
    ...                   "tier": ["prime", "high_risk"],
    ...                   "tier_rule": ["prime", "high_risk_dpd_30"],
    ...                   "tier_values": [None, "dpd=40"]})
    >>> c = pd.DataFrame({"as_of": pd.to_datetime(["2025-06-30"]), "field": ["tier"],
    ...                   "before": ["prime"], "after": ["high_risk"]})
    >>> shown_changes(c, h, lang="en")[["before", "after"]].iloc[0].tolist()
    ['Prime', 'High risk']
    """
    check_lang(lang)
    cols = ["as_of", "field", "before", "after", "reason"]
    if changes.empty:
        return pd.DataFrame(columns=cols)
    rows = history.set_index("as_of")
    kept = changes[~changes["field"].isin(_HIDDEN_FIELDS)]
    out = pd.DataFrame({
        "as_of": kept["as_of"],
        "field": kept["field"],
        "before": [value_text(f, v, lang, currency) for f, v in zip(kept["field"], kept["before"],
                                                                      strict=True)],
        "after": [value_text(f, v, lang, currency) for f, v in zip(kept["field"], kept["after"],
                                                                     strict=True)],
        "reason": [reason_text(f, rows.loc[d], lang) if d in rows.index else ""
                   for f, d in zip(kept["field"], kept["as_of"], strict=True)],
    })
    return out.sort_values("as_of", ascending=False, kind="stable").reset_index(drop=True)


def shown_dunning(dunning: pd.DataFrame, *, lang: str = "zh") -> pd.DataFrame:
    """The customer's dunning runs in words: event, reason and channels labelled, newest first.

    Parameters
    ----------
    dunning : DataFrame
        Rows of the store's ``dunning_history`` (a credit file's ``dunning``).
    lang : {"zh", "en"}

    Returns
    -------
    DataFrame
        ``run_date``, ``level``, ``previous_level``, ``event`` (a label key: pass
        ``values=["event"]``), ``reason``, ``channel``, ``amount_minor``,
        ``currency``, ``bill_ids``: those present.

    Examples
    --------
    >>> import pandas as pd
    >>> d = pd.DataFrame({"run_date": [pd.Timestamp("2025-01-31")], "level": [1],
    ...                   "event": ["sent"], "reason": ["due_soon"], "channel": ["sms+email"]})
    >>> shown_dunning(d, lang="en")[["reason", "channel"]].iloc[0].tolist()
    ['Bills fall due soon', 'SMS + E-mail']
    """
    check_lang(lang)
    cols = ["run_date", "level", "previous_level", "event", "reason", "channel", "amount_minor",
            "currency", "bill_ids"]
    out = dunning[[c for c in cols if c in dunning.columns]].copy()
    if "reason" in out.columns:
        out["reason"] = out["reason"].map(
            lambda v: "" if pd.isna(v) or v == "" else label(f"dunning_{v}", lang))
    if "channel" in out.columns:
        out["channel"] = out["channel"].map(
            lambda v: "" if pd.isna(v) or v == "" else " + ".join(
                label(part.strip(), lang) for part in str(v).split("+")))
    if "run_date" in out.columns:
        out = out.sort_values("run_date", ascending=False, kind="stable")
    return out.reset_index(drop=True)


def shown_reviews(reviews: pd.DataFrame) -> pd.DataFrame:
    """The credit reviews recorded, newest first: date, reviewer, outcome and note.

    ``outcome`` and ``note`` become ``review_outcome`` and ``review_note`` (the
    bare words label other things: a scorecard's outcome, a report's note).

    Examples
    --------
    >>> import pandas as pd
    >>> r = pd.DataFrame({"customer_id": ["C1"], "review_date": [pd.Timestamp("2025-06-30")],
    ...                   "reviewer": ["王*"], "outcome": ["kept"], "note": [""]})
    >>> shown_reviews(r).columns.tolist()
    ['review_date', 'reviewer', 'review_outcome', 'review_note']
    """
    cols = {"review_date": "review_date", "reviewer": "reviewer", "outcome": "review_outcome",
            "note": "review_note"}
    if reviews.empty and not len(reviews.columns):
        return pd.DataFrame(columns=list(cols.values()))
    out = reviews[[c for c in cols if c in reviews.columns]].rename(columns=cols)
    if "review_date" in out.columns:
        out = out.sort_values("review_date", ascending=False, kind="stable")
    return out.reset_index(drop=True)
