"""The credit manager's review of tiers, value segments and tags: notebook 05's tables in one call.

:func:`tier_review` computes, at ``as_of`` and at a date to compare with
(default: the month end before ``as_of``'s month), everything the report
``05-tiers-and-alerts`` shows: customer features, tiers (with the rule that
placed each customer and the values it saw), tags, RFM value segments by rules
and by k-means, and the tier migration between the two dates. The
:class:`TierReview` it returns gives each table of the report in the report
language, names masked: nothing is computed in the notebook.

Balances are those of :func:`creditkit.segmentation.customer_features`
(:func:`creditkit.aging.customer_aging` at each date, the customer's own
currency), so the migration matrix in outstanding adds up to the aging of each
date; a book in several currencies is reviewed in one of them (``currency``,
default the one with the largest outstanding at ``as_of``).

Examples
--------
>>> previous_month_end("2025-06-30"), previous_month_end("2025-06-15")
(Timestamp('2025-05-31 00:00:00'), Timestamp('2025-05-31 00:00:00'))
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from creditkit.checks import check_as_of, check_date, check_lang
from creditkit.exceptions import ParameterError, SchemaError
from creditkit.labels import LABELS, label
from creditkit.privacy import mask_pii
from creditkit.segmentation.features import customer_features
from creditkit.segmentation.kmeans import RFMKMeans
from creditkit.segmentation.migration import tier_changes, tier_migration
from creditkit.segmentation.tags import assign_tags, load_tag_rules, tag_counts, tag_overlaps
from creditkit.segmentation.tiers import TIERS, assign_tiers, load_tier_rules, tier_counts
from creditkit.segmentation.value import (
    VALUE_SEGMENTS,
    load_value_rules,
    rfm_scores,
    rfm_table,
    tier_value_cross,
    value_at_risk,
    value_segments,
)

__all__ = ["TierReview", "previous_month_end", "tier_review", "values_text"]


def previous_month_end(as_of: object) -> pd.Timestamp:
    """The last day of the month before ``as_of``'s month (the default date to compare with).

    Examples
    --------
    >>> previous_month_end("2025-01-31")
    Timestamp('2024-12-31 00:00:00')
    """
    day = check_as_of(as_of)
    return (day.replace(day=1) - pd.Timedelta(days=1)).normalize()


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


def _check_tables(tables: object) -> Mapping[str, pd.DataFrame]:
    need = ("customers", "bills", "payments", "transactions")
    if not isinstance(tables, Mapping) or any(n not in tables for n in need):
        got = sorted(tables) if isinstance(tables, Mapping) else type(tables).__name__
        raise SchemaError(f"tier_review needs the tables {list(need)}; got {got}; pass the "
                          "tables of load_or_make, make_portfolio or load_portfolio")
    return tables


def _given_features(frame: object, day: pd.Timestamp, name: str, date_name: str
                    ) -> pd.DataFrame:
    """Features a caller built: one row per customer, all of the date they stand for."""
    need = {"customer_id", "as_of", "currency", "outstanding_minor"}
    if not isinstance(frame, pd.DataFrame) or not need <= set(frame.columns):
        raise ParameterError(f"{name} must be the customer features (customer_features or "
                             f"alert_features) with {sorted(need)}; got "
                             f"{type(frame).__name__}")
    dates = pd.to_datetime(frame["as_of"]).unique()
    if len(dates) != 1 or pd.Timestamp(dates[0]) != day:
        raise ParameterError(f"{name} are of {[str(pd.Timestamp(d).date()) for d in dates]}, "
                             f"not of {date_name} {day.date()}; build them at that date")
    if frame["customer_id"].duplicated().any():
        raise ParameterError(f"{name} repeat a customer; one row per customer")
    return frame


@dataclass(frozen=True)
class TierReview:
    """Everything notebook 05 shows about tiers, value segments and tags (see :func:`tier_review`).

    Attributes hold the package's own frames (``features``, ``tiers``,
    ``features_before``, ``tiers_before``, ``tags``, ``rfm``, ``segments``,
    ``kmeans``, ``customers``); methods give the report's tables in a
    language, tiers and segments written out, names masked.
    """

    as_of: pd.Timestamp
    compare_to: pd.Timestamp
    currency: str
    features: pd.DataFrame
    tiers: pd.DataFrame
    features_before: pd.DataFrame
    tiers_before: pd.DataFrame
    tags: pd.DataFrame
    rfm: pd.DataFrame
    segments: pd.DataFrame
    kmeans: RFMKMeans
    customers: pd.DataFrame
    tiers_at_risk: tuple[str, ...]
    tier_rule_ids: tuple[str, ...]

    # --- numbers ------------------------------------------------------------------------
    def balances(self, before: bool = False) -> pd.DataFrame:
        """``customer_id``, ``outstanding_minor``, ``currency`` of the review's currency."""
        f = self.features_before if before else self.features
        f = f.loc[(f["currency"] == self.currency).fillna(False).to_numpy(dtype=bool)]
        return f[["customer_id", "outstanding_minor", "currency"]].reset_index(drop=True)

    def counts(self) -> pd.DataFrame:
        """Customers and outstanding per tier at ``as_of`` (:func:`tier_counts`), with currency."""
        out = tier_counts(self.tiers, balances=self.balances())
        out["currency"] = self.currency
        return out

    def migration(self, value: str = "customers") -> pd.DataFrame:
        """The tier migration matrix from ``compare_to`` to ``as_of`` (:func:`tier_migration`)."""
        return tier_migration(self.tiers_before, self.tiers,
                              balances=(self.balances(True), self.balances()), value=value)

    def changes(self) -> pd.DataFrame:
        """Upgrades and downgrades (:func:`tier_changes`), today's outstanding, biggest first."""
        ch = tier_changes(self.tiers_before, self.tiers)
        bal = self.features.set_index("customer_id")
        ch["outstanding_minor"] = bal["outstanding_minor"].reindex(ch["customer_id"]).fillna(0) \
            .astype("int64").to_numpy()
        ch["currency"] = bal["currency"].reindex(ch["customer_id"]).to_numpy()
        return ch.sort_values(["steps", "outstanding_minor", "customer_id"],
                              ascending=[False, False, True], ignore_index=True)

    def headline(self) -> dict[str, object]:
        """The first screen: the date compared, customers tiered, shares at risk, moves since.

        Label key → value, for :func:`creditkit.display.headline` with
        ``currency=review.currency``.
        """
        counts = self.counts().set_index("tier")
        risky = list(self.tiers_at_risk)
        ch = tier_changes(self.tiers_before, self.tiers)
        return {
            "compare_to": self.compare_to.strftime("%Y-%m-%d"),
            "customers_tiered": len(self.tiers),
            "prime_share": float(counts.loc["prime", "share"]),
            "at_risk_share": float(counts.loc[risky, "share"].sum()),
            "at_risk_outstanding_minor": int(counts.loc[risky, "outstanding_minor"].sum()),
            "at_risk_outstanding_share": float(counts.loc[risky, "outstanding_share"].sum()),
            "downgrades": int((ch["direction"] == "downgrade").sum()),
            "upgrades": int((ch["direction"] == "upgrade").sum()),
            "high_value_at_risk": len(value_at_risk(self.tiers, self.segments,
                                                        tiers_at_risk=risky)),
        }

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


def tier_review(tables: Mapping[str, pd.DataFrame], *, as_of: object,
                compare_to: object = None, tier_rules: Any = None, tag_rules: Any = None,
                value_rules: Any = None, rfm_window_months: int | None = 12,
                rfm_bins: int = 5, k_range: Sequence[int] = (2, 3, 4, 5, 6),
                silhouette_sample: int = 2000,
                tiers_at_risk: Sequence[str] = ("high_risk", "restricted"),
                currency: str | None = None, cards: Mapping | None = None,
                features: pd.DataFrame | None = None,
                features_before: pd.DataFrame | None = None) -> TierReview:
    """Tiers, tags and value segments at ``as_of``, and the tier migration since ``compare_to``.

    Parameters
    ----------
    tables : dict of str to DataFrame
        ``customers``, ``bills``, ``payments``, ``transactions`` (as
        :func:`creditkit.datasets.load_or_make` returns).
    as_of : date-like
    compare_to : date-like, optional
        The earlier date of the migration (default: :func:`previous_month_end`).
    tier_rules, tag_rules, value_rules : path, RuleSet, DataFrame or list, optional
        The rule files (default: the shipped ones).
    rfm_window_months : int or None, default 12
        Transactions counted by RFM (:func:`rfm_table`).
    rfm_bins : int, default 5
        Quantile scores of RFM (:func:`rfm_scores`).
    k_range : sequence of int, default (2, 3, 4, 5, 6)
        The numbers of k-means segments tried (:class:`RFMKMeans`).
    silhouette_sample : int, default 2000
        Customers drawn to compute each silhouette (``RFMKMeans(sample_size=)``;
        its cost grows with the square of it).
    tiers_at_risk : sequence of str, default ("high_risk", "restricted")
        The tiers whose high-value customers are named.
    currency : str, optional
        The currency of the balances (default: the largest outstanding at ``as_of``).
    cards : dict, optional
        Behaviour cards (default: the shipped ones), as :func:`customer_features`.
    features, features_before : DataFrame, optional
        The customer features at ``as_of`` and at ``compare_to`` when a caller
        has them already (:func:`customer_features`, or the alert features,
        which hold every column of it); computed when not given.

    Returns
    -------
    TierReview

    Raises
    ------
    ParameterError
        ``compare_to`` not before ``as_of``; an unknown tier in
        ``tiers_at_risk``; a rule file with a mistake (named, with the fix).
    SchemaError
        A table is missing.

    Examples
    --------
    >>> from creditkit.datasets import make_portfolio
    >>> book = make_portfolio(200, seed=3, end="2025-06-30")
    >>> r = tier_review(book, as_of="2025-06-30", k_range=(2, 3))
    >>> str(r.compare_to.date()), r.headline()["customers_tiered"] == len(r.features)
    ('2025-05-31', True)
    >>> int(r.migration().loc[list(TIERS)].to_numpy().sum()) == len(r.tiers_before)
    True
    """
    tables = _check_tables(tables)
    day = check_as_of(as_of)
    before = previous_month_end(day) if compare_to is None else check_date(compare_to,
                                                                          "compare_to")
    if before >= day:
        raise ParameterError(f"compare_to ({before.date()}) must be before as_of "
                             f"({day.date()}); leave it None for the previous month end")
    risky = tuple(tiers_at_risk)
    unknown = sorted(set(risky) - set(TIERS))
    if unknown or not risky:
        raise ParameterError(f"tiers_at_risk must name tiers among {list(TIERS)}; got "
                             f"{list(tiers_at_risk)}")
    tier_set, tag_set = load_tier_rules(tier_rules), load_tag_rules(tag_rules)
    value_set = load_value_rules(value_rules)
    features = _given_features(features, day, "features", "as_of") if features is not None \
        else customer_features(tables, as_of=day, cards=cards)
    features_before = _given_features(features_before, before, "features_before",
                                      "compare_to") if features_before is not None \
        else customer_features(tables, as_of=before, cards=cards)
    if currency is None:
        per = features.groupby("currency")["outstanding_minor"].sum()
        currency = str(per.idxmax()) if len(per) else "CNY"
    rfm = rfm_scores(rfm_table(tables["transactions"], as_of=day, customers=tables["customers"],
                               window_months=rfm_window_months), bins=rfm_bins)
    ids = pd.Index(features["customer_id"])
    rfm = rfm.loc[rfm["customer_id"].isin(ids)].reset_index(drop=True)
    customers = mask_pii(tables["customers"][["customer_id", "name"]]
                         .drop_duplicates("customer_id"), "customers")
    return TierReview(
        as_of=day, compare_to=before, currency=currency, features=features,
        tiers=assign_tiers(features, tier_set), features_before=features_before,
        tiers_before=assign_tiers(features_before, tier_set),
        tags=assign_tags(features, tag_set), rfm=rfm, segments=value_segments(rfm, value_set),
        kmeans=RFMKMeans(k_range=k_range, sample_size=silhouette_sample).fit(rfm),
        customers=customers, tiers_at_risk=risky,
        tier_rule_ids=tuple(r.id for r in tier_set.rules))
