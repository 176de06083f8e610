"""Segment cards: one card per segment (product, new or existing customer…), one score.

A segmented scorecard holds a card for each segment value of one column and a
**fallback card** for every other row (a segment too small for a card of its
own, a value not seen at fit, a missing value). Each row is scored by its
segment's card, so its points, reason codes and points table rows are those
of an ordinary :class:`~creditkit.scoring.Scorecard`; ``to_sql`` is one CASE
on the segment column around each card's points expression, and the JSON
holds every card's own JSON.

:func:`fit_segmented_scorecard` keeps the segment cards only when they beat
the single card out of sample, as :mod:`creditkit.scoring.refine` does for
finer bins: both are fitted on a fitting part of the training sample and
compared by AUC on the rest, the gain beyond ``z`` standard errors of the
difference (:mod:`~creditkit.scoring.comparison`); the chosen model is
refitted on all of it.
"""

from __future__ import annotations

import json
import warnings
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from creditkit.checks import check_frame, check_target
from creditkit.exceptions import ParameterError, not_fitted

__all__ = ["SEGMENTED_FORMAT", "SegmentedScorecard", "fit_segmented_scorecard"]

SEGMENTED_FORMAT = "creditkit.segmented_scorecard/1"


class SegmentedScorecard:
    """A card per value of ``segment`` and a fallback card for the other rows.

    Parameters
    ----------
    segment : str
        The column whose values pick the card.
    min_bads : int, default 50
        A segment gets its own card only with at least this many bads and goods
        in the training sample; its rows are scored by the fallback card otherwise.
    card_params : mapping, optional
        Parameters of every :class:`~creditkit.scoring.Scorecard` (binning, scaling, checks).

    Attributes
    ----------
    cards_ : dict of segment value → Scorecard
        Fitted without the segment column, on their segment's rows only.
    fallback_ : Scorecard
        The single card, fitted on every row (the segment column is one of its inputs).
    segment_numeric_ : bool
        Whether the segment column was numeric at fit (values compared as numbers).

    Examples
    --------
    >>> import warnings
    >>> from creditkit.scoring import scoring_sample
    >>> X, y = scoring_sample("german")
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore", UserWarning)
    ...     seg = SegmentedScorecard("housing", min_bads=40).fit(X, y)
    >>> sorted(seg.cards_)
    ['for free', 'own', 'rent']
    >>> again = SegmentedScorecard.from_json(seg.to_json())
    >>> bool((again.predict_points(X) == seg.predict_points(X)).all())
    True
    """

    def __init__(self, segment: str, *, min_bads: int = 50,
                 card_params: Mapping[str, Any] | None = None):
        self.segment = segment
        self.min_bads = min_bads
        self.card_params = card_params

    def fit(self, X: pd.DataFrame, y: Any) -> SegmentedScorecard:
        """Fit the fallback card on every row and a card per large enough segment.

        Raises
        ------
        ParameterError
            The segment column is missing, ``min_bads`` is not a positive integer; as
            ``Scorecard.fit``.
        """
        from creditkit.scoring.scorecard import Scorecard

        if not isinstance(self.min_bads, int) or self.min_bads < 1:
            raise ParameterError(f"min_bads must be a positive integer; got {self.min_bads!r}")
        X, _ = check_frame(X, "SegmentedScorecard.fit")
        if self.segment not in X.columns:
            raise ParameterError(f"segment column {self.segment!r} is not in X (columns "
                                 f"{list(X.columns)}); pass the column that names the segment")
        yv = pd.Series(check_target(y, len(X), who="SegmentedScorecard.fit").astype("int64"),
                       index=X.index)
        params = dict(self.card_params or {})
        self.segment_numeric_ = bool(pd.api.types.is_numeric_dtype(X[self.segment].dtype))
        self.fallback_ = Scorecard(**params).fit(X, yv)
        keys = self._keys(X)
        self.cards_ = {}
        for value in pd.unique(keys[keys.notna()]):
            rows = (keys == value).to_numpy()
            bads = int(yv[rows].sum())
            if min(bads, int(rows.sum()) - bads) >= self.min_bads:
                part = X.loc[rows].drop(columns=[self.segment])
                self.cards_[_plain(value)] = Scorecard(**params).fit(part, yv[rows])
        return self

    def _keys(self, X: pd.DataFrame) -> pd.Series:
        col = X[self.segment]
        if self.segment_numeric_:
            return pd.to_numeric(col, errors="coerce").astype("float64")
        return col.astype("object").where(col.notna()).map(lambda v: v if pd.isna(v) else str(v))

    def _check_fitted(self) -> None:
        if not hasattr(self, "fallback_"):
            raise not_fitted("SegmentedScorecard")

    def _parts(self, X: pd.DataFrame):
        """(card, row positions) for each card, fallback last."""
        self._check_fitted()
        X, _ = check_frame(X, "SegmentedScorecard")
        if self.segment not in X.columns:
            raise ParameterError(f"X lacks the segment column {self.segment!r}; got columns "
                                 f"{list(X.columns)}; pass the same columns as at fit")
        keys = self._keys(X)
        rest = np.ones(len(X), dtype=bool)
        parts = []
        for value, card in self.cards_.items():
            rows = (keys == value).to_numpy()
            rest &= ~rows
            parts.append((value, card, np.flatnonzero(rows)))
        parts.append((None, self.fallback_, np.flatnonzero(rest)))
        return X, parts

    def segment_of(self, X: pd.DataFrame) -> pd.Series:
        """The card scoring each row: its segment value, or missing for the fallback card."""
        X, parts = self._parts(X)
        out = pd.Series(pd.NA, index=X.index, dtype="object")
        for value, _, rows in parts[:-1]:
            out.iloc[rows] = value
        return out

    def predict_points(self, X: pd.DataFrame) -> np.ndarray:
        """Each row's points from its segment's card (the fallback card for the others)."""
        X, parts = self._parts(X)
        out = np.zeros(len(X), dtype="float64")
        for _, card, rows in parts:
            if len(rows):
                out[rows] = card.predict_points(X.iloc[rows])
        return out

    def predict_proba(self, X: pd.DataFrame) -> np.ndarray:
        """Columns P(good), P(bad), each row from its segment's card."""
        X, parts = self._parts(X)
        out = np.zeros((len(X), 2), dtype="float64")
        for _, card, rows in parts:
            if len(rows):
                out[rows] = card.predict_proba(X.iloc[rows])
        return out

    def reason_codes(self, X: pd.DataFrame, n: int = 3, *,
                     labels: Mapping[str, str] | None = None) -> pd.DataFrame:
        """Each row's reason codes from its segment's card (``Scorecard.reason_codes``)."""
        X, parts = self._parts(X)
        cols = [f"reason_{r + 1}" for r in range(n)] + [f"points_lost_{r + 1}" for r in range(n)]
        frames = [card.reason_codes(X.iloc[rows], n, labels=labels) for _, card, rows in parts
                  if len(rows)]
        out = pd.concat(frames) if frames else pd.DataFrame(columns=cols)
        out = out.reindex(columns=cols).reindex(X.index)
        for c in cols[:n]:
            out[c] = out[c].astype("string")
        return out

    def points_table(self, *, decimals: int | None = None) -> pd.DataFrame:
        """Every card's points table, with a first column ``segment`` (missing: the fallback)."""
        self._check_fitted()
        frames = [card.points_table(decimals=decimals).assign(segment=value)
                  for value, card in [*self.cards_.items(), (None, self.fallback_)]]
        out = pd.concat(frames, ignore_index=True)
        return out[["segment", *out.columns.drop("segment")]]

    def to_sql(self, dialect: str = "duckdb", *, table: str = "applicants",
               id_col: str | None = None, points_col: str = "points") -> str:
        """A SELECT scoring each row with its segment's card: a CASE on the segment column.

        Raises
        ------
        ParameterError
            Unknown dialect.
        """
        from creditkit.scoring.sql import (
            double_literal,
            points_expression,
            quote_ident,
            string_literal,
            table_ref,
        )

        self._check_fitted()
        col = quote_ident(self.segment, dialect)
        branches = []
        for value, card in self.cards_.items():
            lit = (double_literal(value, dialect) if self.segment_numeric_
                   else string_literal(value, dialect))
            branches.append(f"WHEN {col} = {lit} THEN (\n  {points_expression(card, dialect)})")
        body = "\n".join(branches) + f"\nELSE (\n  {points_expression(self.fallback_, dialect)})"
        head = f"{quote_ident(id_col, dialect)},\n  " if id_col else ""
        return (f"SELECT\n  {head}CASE\n{body}\nEND AS {quote_ident(points_col, dialect)}\n"
                f"FROM {table_ref(table, dialect)}")

    def to_json(self) -> str:
        """The segment column and every card's JSON (format ``creditkit.segmented_scorecard/1``)."""
        self._check_fitted()
        return json.dumps({
            "format": SEGMENTED_FORMAT, "segment": self.segment, "min_bads": self.min_bads,
            "segment_numeric": self.segment_numeric_,
            "cards": [{"value": v, "card": json.loads(c.to_json())}
                      for v, c in self.cards_.items()],
            "fallback": json.loads(self.fallback_.to_json())}, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> SegmentedScorecard:
        """Rebuild a segmented card saved by :meth:`to_json`; it scores identically.

        Raises
        ------
        ParameterError
            If the text is not a creditkit segmented scorecard.
        """
        from creditkit.scoring.scorecard import Scorecard

        try:
            doc = json.loads(text)
        except (TypeError, json.JSONDecodeError) as exc:
            raise ParameterError(f"not JSON: {str(text)[:40]!r}; pass seg.to_json()") from exc
        if not isinstance(doc, dict) or doc.get("format") != SEGMENTED_FORMAT:
            raise ParameterError(f"not a creditkit segmented scorecard (expected format "
                                 f"{SEGMENTED_FORMAT!r}); pass the text of seg.to_json()")
        seg = cls(doc["segment"], min_bads=doc["min_bads"])
        seg.segment_numeric_ = doc["segment_numeric"]
        seg.cards_ = {d["value"]: Scorecard.from_json(json.dumps(d["card"])) for d in doc["cards"]}
        seg.fallback_ = Scorecard.from_json(json.dumps(doc["fallback"]))
        return seg


def _plain(v):
    return v.item() if isinstance(v, np.generic) else v


def fit_segmented_scorecard(X: pd.DataFrame, y: Any, *, segment: str, min_bads: int = 50,
                            validation_size: float = 0.25, min_gain: float = 0.0,
                            z: float = 1.645, seed: int = 42, **card_params: Any) -> Any:
    """Segment cards when they beat the single card on a validation split, else the single card.

    Parameters
    ----------
    X : DataFrame
        Training features, with the segment column.
    y : array-like of 0/1
        Training outcome, 1 = bad.
    segment : str
        The column naming each row's segment.
    min_bads : int, default 50
        Bads (and goods) a segment needs for a card of its own, counted in the
        part the cards are fitted on.
    validation_size : float, default 0.25
        Share of the training rows held out to compare the two.
    min_gain : float, default 0
        Validation AUC (over all rows) the segment cards must add to be kept.
    z : float, default 1.645
        Standard errors (DeLong, :func:`~creditkit.scoring.comparison.compare_auc`) the
        gain must also exceed: 1.645 is a one-sided test at 5 %, so a gain the
        validation rows cannot tell from luck keeps the plain card; 0 keeps any gain.
    seed : int, default 42
        Seed of the validation split.
    **card_params
        Passed to every :class:`~creditkit.scoring.Scorecard`.

    Returns
    -------
    SegmentedScorecard or Scorecard
        Fitted on all of ``X``; ``segmentation_`` (candidate, validation_auc,
        gain_se, kept) says what was compared.

    Raises
    ------
    ParameterError
        Bad ``validation_size`` or ``min_gain``; as ``SegmentedScorecard.fit``.

    Examples
    --------
    >>> from creditkit.scoring.workflow import scoring_sample
    >>> X, y = scoring_sample("german")
    >>> model = fit_segmented_scorecard(X, y, segment="housing", min_bads=30)
    >>> model.segmentation_["candidate"].tolist()
    ['single', 'segmented']
    """
    from creditkit.scoring.comparison import compare_auc
    from creditkit.scoring.metrics import auc
    from creditkit.scoring.scorecard import Scorecard
    from creditkit.scoring.workflow import split_sample

    if not (isinstance(validation_size, float) and 0.05 <= validation_size <= 0.5):
        raise ParameterError(f"validation_size must be a share in [0.05, 0.5]; got "
                             f"{validation_size!r}; e.g. 0.25")
    if not isinstance(min_gain, int | float) or min_gain < 0:
        raise ParameterError(f"min_gain must be a number >= 0; got {min_gain!r}")
    X, _ = check_frame(X, "fit_segmented_scorecard")
    yv = pd.Series(check_target(y, len(X), who="fit_segmented_scorecard").astype("int64"),
                   index=X.index)
    X_fit, X_val, y_fit, y_val = split_sample(X, yv, test_size=validation_size, seed=seed)
    with warnings.catch_warnings():  # the comparison's warnings; the final fit warns as usual
        warnings.simplefilter("ignore", UserWarning)
        trial = SegmentedScorecard(segment, min_bads=min_bads, card_params=card_params)
        trial.fit(X_fit, y_fit)
        single = trial.fallback_.predict_points(X_val)
        scores = {"single": auc(y_val, single), "segmented": float("nan")}
        wins, se = False, float("nan")
        if trial.cards_:
            duel = compare_auc(y_val, single, trial.predict_points(X_val))
            scores["segmented"], se = duel.challenger, duel.se
            wins = duel.challenger_wins(min_gain=min_gain, z=z)
    chosen = "segmented" if wins else "single"
    if chosen == "segmented":
        model = SegmentedScorecard(segment, min_bads=min_bads, card_params=card_params).fit(X, yv)
    else:
        model = Scorecard(**card_params).fit(X, yv)
    model.segmentation_ = pd.DataFrame({"candidate": list(scores),
                                        "validation_auc": list(scores.values()),
                                        "gain_se": [float("nan"), se],
                                        "kept": [n == chosen for n in scores]})
    return model
