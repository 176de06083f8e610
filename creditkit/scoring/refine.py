"""Finer monotone binning on large samples, kept only when it wins out of sample.

A card's default binning (bins of at least 5% of the rows, 20 prebins) is
right for a thousand applications and coarse for a hundred thousand: the
bad rate of a strong variable changes within its 5% bins. With more data a
card can hold finer bins — still monotone, still with the minimum bads and
goods per bin — but whether they help is an empirical question, so
:func:`fit_refined_scorecard` decides it on data the fit has not seen:

1. the training sample is split (stratified) into a fitting part and a
   validation part (``validation_size``; never the test sample);
2. the card with the given binning and the card with the finer binning
   (``FINE_BINNING`` over it) are fitted on the fitting part;
3. the finer one is kept only if its validation AUC is higher by more than
   ``min_gain`` and by more than ``z`` standard errors of the difference
   (:mod:`~creditkit.scoring.comparison`); the chosen binning is then refitted on the whole training
   sample.

The result is an ordinary :class:`~creditkit.scoring.Scorecard`: points table,
reason codes, SQL and JSON as any card; ``refinement_`` says what was compared.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import clone

from creditkit.checks import check_frame, check_target
from creditkit.exceptions import ParameterError

__all__ = ["FINE_BINNING", "fit_refined_scorecard"]

#: The finer binning tried: bins down to 1% of the rows, chosen among 50 prebins.
FINE_BINNING = {"min_bin_share": 0.01, "max_n_prebins": 50}


def fit_refined_scorecard(X: pd.DataFrame, y: Any, *, binning: Any = None,
                          fine: Mapping[str, Any] | None = None, validation_size: float = 0.25,
                          min_gain: float = 0.0, z: float = 1.645, seed: int = 42,
                          **card_params: Any) -> Any:
    """A card with finer bins when they improve the AUC on a validation split, else the plain one.

    Parameters
    ----------
    X : DataFrame
        Training features.
    y : array-like of 0/1
        Training outcome, 1 = bad.
    binning : BinningProcess, optional
        Unfitted binning of the plain card (default ``BinningProcess()``).
    fine : mapping, optional
        Parameters set on a clone of ``binning`` for the finer card
        (default :data:`FINE_BINNING`).
    validation_size : float, default 0.25
        Share of the training rows held out to compare the two cards.
    min_gain : float, default 0
        Validation AUC the finer card must add to be kept.
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
        Fitted on all of ``X``; ``refinement_`` is a table (candidate,
        validation_auc, gain_se: the standard error of the gain, kept) of the comparison.

    Raises
    ------
    ParameterError
        Bad ``validation_size``, ``min_gain`` or ``fine``; as ``Scorecard.fit``.

    Examples
    --------
    >>> from creditkit.scoring.workflow import scoring_sample
    >>> X, y = scoring_sample("german")
    >>> card = fit_refined_scorecard(X, y)
    >>> card.refinement_["candidate"].tolist(), int(card.refinement_["kept"].sum())
    (['plain', 'fine'], 1)
    """
    from creditkit.scoring.binning import BinningProcess
    from creditkit.scoring.comparison import compare_auc
    from creditkit.scoring.scorecard import Scorecard
    from creditkit.scoring.workflow import split_sample

    if not (isinstance(validation_size, float) and 0.05 <= validation_size <= 0.5):
        raise ParameterError(f"validation_size must be a share in [0.05, 0.5]; got "
                             f"{validation_size!r}; e.g. 0.25")
    if not isinstance(min_gain, int | float) or min_gain < 0:
        raise ParameterError(f"min_gain must be a number >= 0; got {min_gain!r}")
    if "selector" in card_params or "variables" in card_params:
        raise ParameterError("fit_refined_scorecard compares binnings of the card's own "
                             "variables; pass no selector= or variables=")
    base = BinningProcess() if binning is None else binning
    fine = dict(FINE_BINNING if fine is None else fine)
    unknown = sorted(set(fine) - set(base.get_params()))
    if unknown:
        raise ParameterError(f"fine sets {unknown}, not parameters of the binning; use "
                             f"some of {sorted(base.get_params())}")
    X, _ = check_frame(X, "fit_refined_scorecard")
    yv = pd.Series(check_target(y, len(X), who="fit_refined_scorecard").astype("int64"),
                   index=X.index)
    candidates = {"plain": clone(base), "fine": clone(base).set_params(**fine)}
    X_fit, X_val, y_fit, y_val = split_sample(X, yv, test_size=validation_size, seed=seed)
    points = {}
    with warnings.catch_warnings():  # the comparison's warnings; the final fit warns as usual
        warnings.simplefilter("ignore", UserWarning)
        for name, bp in candidates.items():
            points[name] = Scorecard(bp, **card_params).fit(X_fit, y_fit).predict_points(X_val)
    duel = compare_auc(y_val, points["plain"], points["fine"])
    scores = {"plain": duel.base, "fine": duel.challenger}
    chosen = "fine" if duel.challenger_wins(min_gain=min_gain, z=z) else "plain"
    card = Scorecard(candidates[chosen], **card_params).fit(X, yv)
    card.refinement_ = pd.DataFrame({"candidate": list(scores),
                                     "validation_auc": list(scores.values()),
                                     "gain_se": [np.nan, duel.se],
                                     "kept": [n == chosen for n in scores]})
    return card
