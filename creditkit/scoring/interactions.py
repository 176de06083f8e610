"""A card with a few two-variable bins, kept only when they win out of sample.

:func:`fit_interaction_scorecard` decides on data the fit has not seen, as
:func:`~creditkit.scoring.refine.fit_refined_scorecard` does for finer bins:

1. the training sample is split (stratified) into a fitting part and a
   validation part (``validation_size``; never the test sample);
2. the plain card is fitted on the fitting part; among its ``max_candidates``
   variables of highest IV, every pair is scored by
   :func:`~creditkit.scoring.pairbins.pair_gain` on the fitting part (the AIC
   gain of its grid over the two variables added up), and the ``n_pairs``
   best pairs with a positive gain are the candidates;
3. the card with those pairs (``Scorecard(interactions=...)``) is fitted on the
   fitting part and kept only if its validation AUC beats the plain card's by
   more than ``min_gain`` and by more than ``z`` standard errors of the
   difference (:mod:`~creditkit.scoring.comparison`); the chosen card is then refitted on the whole
   training sample (the pairs' cells and WoE from all of it).

The result is an ordinary :class:`~creditkit.scoring.Scorecard`: each pair is
a variable ``"x × y"`` with a points row per cell, reason codes, SQL and JSON
like any other; ``interactions_`` lists the pairs scored and
``interaction_choice_`` what was compared.
"""

from __future__ import annotations

import itertools
import warnings
from typing import Any

import pandas as pd

from creditkit.checks import check_frame, check_target
from creditkit.exceptions import ParameterError

__all__ = ["fit_interaction_scorecard", "rank_pairs"]


def rank_pairs(card: Any, X: pd.DataFrame, y: Any, *, max_candidates: int = 6,
               max_groups: int = 4) -> pd.DataFrame:
    """Pairs of a fitted card's variables ranked by the AIC gain of their 2D grid.

    Parameters
    ----------
    card : Scorecard
        Fitted; its bins are the grids' axes and its IV ranks the candidates.
    X : DataFrame
        The sample to measure on (the card's own training sample).
    y : array-like of 0/1
        Its outcome, 1 = bad.
    max_candidates : int, default 6
        Variables of highest IV whose pairs are scored.
    max_groups : int, default 4
        Groups per variable in a grid.

    Returns
    -------
    DataFrame
        x, y, gain; best first.

    Raises
    ------
    ParameterError
        If ``max_candidates`` < 2.

    Examples
    --------
    >>> import warnings
    >>> from creditkit.scoring import Scorecard, scoring_sample
    >>> X, y = scoring_sample("german")
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore", UserWarning)
    ...     card = Scorecard().fit(X, y)
    >>> list(rank_pairs(card, X, y).columns)
    ['x', 'y', 'gain']
    """
    from creditkit.scoring.pairbins import pair_gain

    if not isinstance(max_candidates, int) or max_candidates < 2:
        raise ParameterError(f"max_candidates must be an integer >= 2; got {max_candidates!r}")
    yv = check_target(y, len(X), who="rank_pairs").astype("float64")
    iv = card.coef_table_.set_index("variable")["iv"].drop("(intercept)").fillna(0.0)
    single = [v for v in iv.sort_values(ascending=False, kind="stable").index
              if getattr(card.bins_[v], "kind", "") != "pair"][:max_candidates]
    binning = getattr(card, "binning_", None)
    low = {k: getattr(binning, k, 5) for k in ("min_bin_bads", "min_bin_goods")}
    rows = [(a, b, pair_gain(X, yv, card.bins_[a], card.bins_[b], max_groups=max_groups,
                             min_bads=low["min_bin_bads"], min_goods=low["min_bin_goods"]))
            for a, b in itertools.combinations(single, 2)]
    out = pd.DataFrame(rows, columns=["x", "y", "gain"])
    return out.sort_values("gain", ascending=False, kind="stable").reset_index(drop=True)


def fit_interaction_scorecard(X: pd.DataFrame, y: Any, *, binning: Any = None, n_pairs: int = 3,
                              max_candidates: int = 6, validation_size: float = 0.25,
                              min_gain: float = 0.0, z: float = 1.645, seed: int = 42,
                              **card_params: Any) -> Any:
    """A card with the strongest 2D bins when they improve the validation AUC, else the plain one.

    Parameters
    ----------
    X : DataFrame
        Training features.
    y : array-like of 0/1
        Training outcome, 1 = bad.
    binning : BinningProcess, optional
        Unfitted binning of the card (default ``BinningProcess()``).
    n_pairs : int, default 3
        Most pairs tried.
    max_candidates : int, default 6
        Variables of highest IV whose pairs are scored (:func:`rank_pairs`).
    validation_size : float, default 0.25
        Share of the training rows held out to compare the two cards.
    min_gain : float, default 0
        Validation AUC the card with pairs must add to be kept.
    z : float, default 1.645
        Standard errors (DeLong, :func:`~creditkit.scoring.comparison.compare_auc`) the
        gain must also exceed: 1.645 is a one-sided test at 5 %, so a gain the
        validation rows cannot tell from luck keeps the plain card; 0 keeps any gain.
    seed : int, default 42
        Seed of the validation split.
    **card_params
        Passed to :class:`~creditkit.scoring.Scorecard` (scaling, checks, ``C``).

    Returns
    -------
    Scorecard
        Fitted on all of ``X``; ``interactions_`` (x, y, gain) the pairs scored,
        ``interaction_choice_`` (candidate, pairs, validation_auc, gain_se, kept).

    Raises
    ------
    ParameterError
        Bad ``n_pairs``, ``validation_size`` or ``min_gain``; as ``Scorecard.fit``.

    Examples
    --------
    >>> from creditkit.scoring.workflow import scoring_sample
    >>> X, y = scoring_sample("german")
    >>> card = fit_interaction_scorecard(X, y)
    >>> card.interaction_choice_["candidate"].tolist()
    ['plain', 'pairs']
    """
    from creditkit.scoring.binning import BinningProcess
    from creditkit.scoring.comparison import compare_auc
    from creditkit.scoring.metrics import auc
    from creditkit.scoring.scorecard import Scorecard
    from creditkit.scoring.workflow import split_sample

    if not isinstance(n_pairs, int) or n_pairs < 1:
        raise ParameterError(f"n_pairs must be a positive integer; got {n_pairs!r}; e.g. 3")
    if not (isinstance(validation_size, float) and 0.05 <= validation_size <= 0.5):
        raise ParameterError(f"validation_size must be a share in [0.05, 0.5]; got "
                             f"{validation_size!r}; e.g. 0.25")
    if not isinstance(min_gain, int | float) or min_gain < 0:
        raise ParameterError(f"min_gain must be a number >= 0; got {min_gain!r}")
    if {"selector", "variables", "interactions"} & set(card_params):
        raise ParameterError("fit_interaction_scorecard chooses the pairs among the card's own "
                             "variables; pass no selector=, variables= or interactions=")
    base = BinningProcess() if binning is None else binning
    X, _ = check_frame(X, "fit_interaction_scorecard")
    yv = pd.Series(check_target(y, len(X), who="fit_interaction_scorecard").astype("int64"),
                   index=X.index)
    X_fit, X_val, y_fit, y_val = split_sample(X, yv, test_size=validation_size, seed=seed)
    with warnings.catch_warnings():  # the comparison's warnings; the final fit warns as usual
        warnings.simplefilter("ignore", UserWarning)
        plain = Scorecard(base, **card_params).fit(X_fit, y_fit)
        ranked = rank_pairs(plain, X_fit, y_fit, max_candidates=max_candidates)
        pairs = [(a, b) for a, b, g in ranked.itertuples(index=False) if g > 0][:n_pairs]
        plain_points = plain.predict_points(X_val)
        scores = {"plain": auc(y_val, plain_points), "pairs": float("nan")}
        wins, se = False, float("nan")
        if pairs:
            trial = Scorecard(base, interactions=pairs, **card_params).fit(X_fit, y_fit)
            duel = compare_auc(y_val, plain_points, trial.predict_points(X_val))
            scores["pairs"], se = duel.challenger, duel.se
            wins = duel.challenger_wins(min_gain=min_gain, z=z)
    chosen = "pairs" if wins else "plain"
    card = Scorecard(base, interactions=pairs if chosen == "pairs" else None,
                     **card_params).fit(X, yv)
    card.interactions_ = ranked
    card.interaction_choice_ = pd.DataFrame({
        "candidate": list(scores), "pairs": [(), tuple(pairs)],
        "validation_auc": list(scores.values()), "gain_se": [float("nan"), se],
        "kept": [n == chosen for n in scores]})
    return card
