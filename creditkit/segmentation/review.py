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

import pandas as pd

from creditkit.checks import check_as_of, check_date
from creditkit.exceptions import ParameterError, SchemaError
from creditkit.privacy import mask_pii
from creditkit.segmentation.features import customer_features
from creditkit.segmentation.kmeans import RFMKMeans
from creditkit.segmentation.migration import tier_changes, tier_migration
from creditkit.segmentation.review_tables import TierReviewTables, values_text
from creditkit.segmentation.tags import assign_tags, load_tag_rules
from creditkit.segmentation.tiers import TIERS, assign_tiers, load_tier_rules, tier_counts
from creditkit.segmentation.value import (
    load_value_rules,
    rfm_scores,
    rfm_table,
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
class TierReview(TierReviewTables):
    """Everything notebook 05 shows about tiers, value segments and tags (see :func:`tier_review`).

    Attributes hold the package's own frames (``features``, ``tiers``,
    ``features_before``, ``tiers_before``, ``tags``, ``rfm``, ``segments``,
    ``kmeans``, ``customers``); methods give the report's tables in a
    language, tiers and segments written out, names masked (those are
    :class:`~creditkit.segmentation.review_tables.TierReviewTables`).
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
