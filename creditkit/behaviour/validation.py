"""Validation of behaviour and collection cards: out-of-time AUC/KS and score stability.

AUC and KS come from :mod:`creditkit.scoring.metrics`, the PSI of the points
from :mod:`creditkit.scoring.stability`, so a B or C card is validated with the
same formulas as the application card.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from creditkit.behaviour.cards import BehaviourCard, check_card
from creditkit.exceptions import ParameterError
from creditkit.scoring.metrics import auc, ks
from creditkit.scoring.stability import psi_table

__all__ = ["card_performance", "score_psi"]


def card_performance(card: BehaviourCard, sample: pd.DataFrame) -> pd.DataFrame:
    """AUC and KS of the card's points per observation date, and over all dates.

    Parameters
    ----------
    card : BehaviourCard
    sample : DataFrame
        A development sample (e.g. the out-of-time part of :func:`oot_split`).

    Returns
    -------
    DataFrame
        ``as_of`` (missing on the last row, which pools every date), ``n``
        (rows in sample), ``bads``, ``bad_rate``, ``auc``, ``ks`` (missing when a
        date has one class only).

    Examples
    --------
    >>> from creditkit.behaviour import development_sample, shipped_cards
    >>> from creditkit.datasets import make_portfolio
    >>> book = make_portfolio(800, seed=8, end="2025-12-31")
    >>> s = development_sample(book, dates=["2025-05-31"])
    >>> perf = card_performance(shipped_cards()["B"], s)
    >>> perf.columns.tolist(), len(perf)
    (['as_of', 'n', 'bads', 'bad_rate', 'auc', 'ks'], 2)
    >>> bool(perf["auc"].iloc[-1] > 0.6)
    True
    """
    check_card(card)
    if not isinstance(sample, pd.DataFrame) or not {"as_of", "in_sample", "target"} <= set(
            sample.columns):
        raise ParameterError("sample must be a DataFrame from development_sample (as_of, "
                             "in_sample, target and the card's features)")
    fit = sample.loc[sample["in_sample"].astype(bool)]
    pts = card.predict_points(fit)
    y = fit["target"].astype("int64").to_numpy()
    rows = []
    groups = [(d, (fit["as_of"] == d).to_numpy()) for d in sorted(fit["as_of"].unique())]
    for d, m in [*groups, (pd.NaT, np.ones(len(fit), dtype=bool))]:
        yy, pp = y[m], pts[m]
        both = 0 < yy.sum() < len(yy)
        rows.append({"as_of": pd.Timestamp(d), "n": int(m.sum()), "bads": int(yy.sum()),
                     "bad_rate": float(yy.mean()) if len(yy) else np.nan,
                     "auc": auc(yy, pp) if both else np.nan,
                     "ks": ks(yy, pp) if both else np.nan})
    return pd.DataFrame(rows)


def score_psi(card: BehaviourCard, base: pd.DataFrame, recent: pd.DataFrame, *,
              bands: int | Sequence[float] = 10) -> pd.DataFrame:
    """PSI table of the card's points: ``recent`` rows against ``base`` rows.

    Every row of each frame is scored (the population the card meets in use,
    not only the fitting sample). The PSI is ``table["psi"].sum()``
    (:func:`creditkit.scoring.stability.psi_table`).

    Examples
    --------
    >>> from creditkit.datasets import make_portfolio
    >>> from creditkit.behaviour import behaviour_features, shipped_cards
    >>> book = make_portfolio(300, seed=9, end="2025-06-30")
    >>> card = shipped_cards()["B"]
    >>> jan, jun = (behaviour_features(book, as_of=d) for d in ("2025-01-31", "2025-06-30"))
    >>> float(score_psi(card, jun, jun)["psi"].sum())
    0.0
    >>> bool(score_psi(card, jan, jun)["psi"].sum() >= 0)
    True
    """
    check_card(card)
    return psi_table(card.predict_points(base), card.predict_points(recent), bands=bands)
