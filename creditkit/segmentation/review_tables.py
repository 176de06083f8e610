"""The report tables of notebook 05's review, in the report language, names masked.

:class:`TierReviewTables` holds the table views of
:class:`~creditkit.segmentation.review.TierReview` (which inherits them, so
``review.rule_table("en")`` is unchanged): tiers, rules and value segments
written out, the customers who moved and the high-value customers at risk with
their names masked, tags and their overlaps. :func:`values_text` writes the
values a rule saw with each field named, as collections' ``review_tables`` does
for notebook 04.

Examples
--------
>>> import pandas as pd
>>> values_text(pd.Series(["dpd=45"]), "en").tolist()
['Days past due = 45']
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from creditkit.checks import check_lang
from creditkit.exceptions import ParameterError
from creditkit.labels import LABELS, label
from creditkit.segmentation.kmeans import RFMKMeans
from creditkit.segmentation.tags import tag_counts, tag_overlaps
from creditkit.segmentation.value import VALUE_SEGMENTS, tier_value_cross, value_at_risk

__all__ = ["TierReviewTables", "values_text"]


def _field_text(field: str, lang: str) -> str:
    return label(field, lang) if field in LABELS else field


def values_text(values_seen: pd.Series, lang: str = "zh", *,
                currency: str | None = None) -> pd.Series:
    """The values a rule saw (``dpd=45; pd=0.12``) with each field named in the report language.

    Parameters
    ----------
    values_seen : Series of str
        The ``values_seen`` column of :func:`assign_tiers`, :func:`assign_tags`
        or :func:`value_segments`.
    lang : {"zh", "en"}
    currency : str, optional
        The currency of the ``*_minor`` fields: given, their minor units are
        written as money (``¥2,555.23``); without it, as the rule saw them.

    Returns
    -------
    Series of str
        Same index; a field without a label is kept as written, missing stays missing.

    Examples
    --------
    >>> s = pd.Series(["dpd=45; worst_dpd_12m=60", "", None])
    >>> values_text(s, "en").tolist()
    ['Days past due = 45; Worst dpd, last 12 months = 60', '', None]
    >>> values_text(s, "zh").iloc[0]
    '逾期天数 = 45；近12个月最长逾期天数 = 60'
    >>> values_text(pd.Series(["written_off_minor=255523"]), "zh", currency="CNY").iloc[0]
    '坏账核销金额 = ¥2,555.23'
    """
    from creditkit.money import format_minor

    check_lang(lang)
    if not isinstance(values_seen, pd.Series):
        raise ParameterError(f"values_seen must be a Series (the values_seen column); got "
                             f"{type(values_seen).__name__}")
    sep = "；" if lang == "zh" else "; "
    shown: dict[str, str] = {}
    for text in values_seen.dropna().unique():
        parts = []
        for part in str(text).split(";"):
            field, eq, value = part.strip().partition("=")
            if currency is not None and field.endswith("_minor") and value.lstrip("-").isdigit():
                value = format_minor(int(value), currency, lang=lang)
            if field:
                parts.append(f"{_field_text(field, lang)} = {value}" if eq else field)
        shown[text] = sep.join(parts)
    return pd.Series([shown[v] if isinstance(v, str) or pd.notna(v) else None
                      for v in values_seen], index=values_seen.index, dtype=object)


class TierReviewTables:
    """The table views of a :class:`~creditkit.segmentation.review.TierReview`.

    A mixin: the review's frames (``tiers``, ``tiers_before``, ``features``,
    ``rfm``, ``segments``, ``kmeans``, ``customers``, ``tags``) and its
    numbers (``balances``, ``counts``, ``changes``) come from the review.
    """

    # --- tables in a language -----------------------------------------------------------
    def _description(self, frame: pd.DataFrame, lang: str, rule_col: str = "rule_id",
                     rules: pd.DataFrame | None = None) -> pd.Series:
        """Each row's rule told by its description in ``lang`` (the id when it has none)."""
        src = self.tiers if rules is None else rules
        desc = src.drop_duplicates("rule_id").set_index("rule_id")[f"description_{lang}"]
        out = frame[rule_col].map(desc)
        return out.where(out.notna() & (out.astype(str) != ""), frame[rule_col])

    def _names(self, ids: pd.Series) -> np.ndarray:
        return self.customers.set_index("customer_id")["name"].reindex(ids).to_numpy()

    def counts_table(self, lang: str = "zh") -> pd.DataFrame:
        """Customers and outstanding per tier, tiers written out."""
        from creditkit.segmentation.plots import tier_text

        out = self.counts()
        out["tier"] = [tier_text(t, lang) for t in out["tier"]]
        return out

    def rule_table(self, lang: str = "zh") -> pd.DataFrame:
        """Per tier rule (in rule order): its tier, description, customers and outstanding."""
        from creditkit.segmentation.plots import tier_text

        check_lang(lang)
        bal = self.balances().set_index("customer_id")["outstanding_minor"]
        t = self.tiers.assign(outstanding_minor=bal.reindex(self.tiers["customer_id"]).fillna(0)
                              .astype("int64").to_numpy())
        g = t.groupby("rule_id", sort=False).agg(tier=("tier", "first"),
                                                 customers=("customer_id", "size"),
                                                 outstanding_minor=("outstanding_minor", "sum"))
        order = [r for r in self.tier_rule_ids if r in g.index]  # rule order; unused rules out
        g = g.reindex(order).reset_index()
        return pd.DataFrame({"tier": [tier_text(x, lang) for x in g["tier"]],
                             "description": self._description(g, lang).to_numpy(),
                             "customers": g["customers"].to_numpy(dtype="int64"),
                             "share": g["customers"].to_numpy() / max(len(t), 1),
                             "outstanding_minor": g["outstanding_minor"].to_numpy(dtype="int64"),
                             "currency": self.currency})

    def change_summary(self, lang: str = "zh") -> pd.DataFrame:
        """Moves since ``compare_to`` by direction, tiers and the rule that placed them now.

        For a downgrade the rule at ``as_of`` is the one that changed the
        tier; for an upgrade, the rule at ``compare_to`` no longer holds.
        """
        from creditkit.segmentation.plots import tier_text

        check_lang(lang)
        ch = self.changes()
        g = ch.groupby(["direction", "tier_from", "tier_to", "rule_from", "rule_to"],
                       sort=False).agg(customers=("customer_id", "size"),
                                       outstanding_minor=("outstanding_minor", "sum")).reset_index()
        g = g.sort_values(["direction", "customers"], ascending=[True, False], ignore_index=True)
        both = pd.concat([self.tiers_before, self.tiers])
        return pd.DataFrame({
            "direction": [label(d, lang) for d in g["direction"]],
            "tier_from": [tier_text(x, lang) for x in g["tier_from"]],
            "tier_to": [tier_text(x, lang) for x in g["tier_to"]],
            "rule_from": self._description(g, lang, "rule_from", both).to_numpy(),
            "rule_to": self._description(g, lang, "rule_to", both).to_numpy(),
            "customers": g["customers"].to_numpy(dtype="int64"),
            "outstanding_minor": g["outstanding_minor"].to_numpy(dtype="int64"),
            "currency": self.currency})

    def changes_table(self, lang: str = "zh", *, direction: str = "downgrade") -> pd.DataFrame:
        """The customers who moved one way, largest move and balance first, names masked."""
        from creditkit.segmentation.plots import tier_text

        check_lang(lang)
        if direction not in ("upgrade", "downgrade"):
            raise ParameterError(f"direction must be 'upgrade' or 'downgrade'; got {direction!r}")
        ch = self.changes()
        ch = ch.loc[ch["direction"] == direction].reset_index(drop=True)
        if direction == "upgrade":
            ch = ch.sort_values(["steps", "outstanding_minor", "customer_id"],
                                ascending=[True, False, True], ignore_index=True)
        both = pd.concat([self.tiers_before, self.tiers])
        return pd.DataFrame({
            "customer_id": ch["customer_id"].to_numpy(dtype=object),
            "name": self._names(ch["customer_id"]),
            "tier_from": [tier_text(x, lang) for x in ch["tier_from"]],
            "tier_to": [tier_text(x, lang) for x in ch["tier_to"]],
            "rule_from": self._description(ch, lang, "rule_from", both).to_numpy(),
            "rule_to": self._description(ch, lang, "rule_to", both).to_numpy(),
            "values_from": values_text(ch["values_from"], lang, currency=self.currency).to_numpy(),
            "values_to": values_text(ch["values_to"], lang, currency=self.currency).to_numpy(),
            "outstanding_minor": ch["outstanding_minor"].to_numpy(dtype="int64"),
            "currency": ch["currency"].to_numpy()})

    def value_profiles(self, lang: str = "zh") -> tuple[pd.DataFrame, pd.DataFrame]:
        """(rule-based profile, k-means profile): size and mean R, F, M per segment."""
        check_lang(lang)
        seg = self.segments.set_index("customer_id")["segment"].reindex(self.rfm["customer_id"])
        rules = RFMKMeans.profile(self.rfm, seg.to_numpy())
        order = {s: i for i, s in enumerate(VALUE_SEGMENTS)}
        rules = rules.iloc[np.argsort([order[s] for s in rules["segment"]])] \
            .reset_index(drop=True)
        return rules, self.kmeans.profiles_

    def profile_table(self, profile: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
        """A profile of :meth:`value_profiles`, segments written out, money in minor units."""
        from creditkit.segmentation.plots import segment_text

        out = profile.copy()
        out["segment"] = [segment_text(s if isinstance(s, str) else int(s), lang)
                          for s in out["segment"]]
        out["monetary_minor"] = out["monetary_minor"].fillna(0).round().astype("int64")
        out["currency"] = self.currency
        return out

    def segment_cluster_table(self, lang: str = "zh") -> pd.DataFrame:
        """Customers per rule-based segment (rows) × k-means segment (columns): how they agree."""
        from creditkit.segmentation.plots import segment_text

        seg = self.segments.set_index("customer_id")["segment"].reindex(self.rfm["customer_id"])
        clusters = self.kmeans.predict(self.rfm)
        table = pd.crosstab(seg.to_numpy(), clusters)
        table = table.reindex(index=[s for s in VALUE_SEGMENTS], fill_value=0)
        cols = [c for c in table.columns if c != 0] + [c for c in table.columns if c == 0]
        table = table[cols].astype("int64")
        table.index = [segment_text(s, lang) for s in table.index]
        table.columns = [segment_text(int(c), lang) for c in table.columns]
        return table.rename_axis(index=label("segment", lang), columns=None)

    def cross(self) -> pd.DataFrame:
        """Customers per tier × value segment (:func:`tier_value_cross`)."""
        return tier_value_cross(self.tiers, self.segments)

    def at_risk_table(self, lang: str = "zh") -> pd.DataFrame:
        """The high-value customers in a risky tier, named (masked), biggest balance first."""
        from creditkit.segmentation.plots import tier_text

        check_lang(lang)
        risk = value_at_risk(self.tiers, self.segments, tiers_at_risk=self.tiers_at_risk)
        f = self.features.set_index("customer_id")
        m = self.rfm.set_index("customer_id")
        ids = risk["customer_id"]
        out = pd.DataFrame({
            "customer_id": ids.to_numpy(dtype=object),
            "name": self._names(ids),
            "tier": [tier_text(x, lang) for x in risk["tier"]],
            "description": self._description(risk, lang).to_numpy(),
            "values_seen": values_text(risk["values_seen"], lang,
                                       currency=self.currency).to_numpy(),
            "outstanding_minor": f["outstanding_minor"].reindex(ids).fillna(0).astype("int64")
            .to_numpy(),
            "monetary_minor": m["monetary_minor"].reindex(ids).fillna(0).astype("int64")
            .to_numpy(),
            "currency": f["currency"].reindex(ids).to_numpy()})
        return out.sort_values(["outstanding_minor", "customer_id"], ascending=[False, True],
                               ignore_index=True)

    def tag_counts(self, *, fields: bool = True) -> pd.DataFrame:
        """Customers per tag (:func:`tag_counts`); ``fields=False`` leaves ``region:…`` tags out.

        Region tags read best as a table of regions (:meth:`region_table`):
        a region is a data value, shown as written in every language.
        """
        out = tag_counts(self.tags, customers=self.features)
        if not fields:
            out = out.loc[~out["tag"].str.startswith("region:")].reset_index(drop=True)
        return out

    def region_table(self) -> pd.DataFrame:
        """Customers per ``region:…`` tag: ``region``, ``customers``, ``share``."""
        t = tag_counts(self.tags, customers=self.features)
        t = t.loc[t["tag"].str.startswith("region:")]
        return pd.DataFrame({"region": t["tag"].str.slice(len("region:")).to_numpy(),
                             "customers": t["customers"].to_numpy(dtype="int64"),
                             "share": t["share"].to_numpy()})

    def overlap_table(self, lang: str = "zh", *, top: int = 8) -> pd.DataFrame:
        """Customers holding both tags, for the ``top`` most common tags (regions aside)."""
        from creditkit.segmentation.plots import tag_text

        check_lang(lang)
        if isinstance(top, bool) or not isinstance(top, int | np.integer) or top < 2:
            raise ParameterError(f"top must be a whole number >= 2; got {top!r}")
        names = self.tag_counts(fields=False)["tag"].head(int(top)).tolist()
        if not names:
            return pd.DataFrame()
        m = tag_overlaps(self.tags, only=names).loc[names, names]
        shown = [tag_text(t, lang) for t in names]
        return pd.DataFrame(m.to_numpy(), index=shown, columns=shown)
