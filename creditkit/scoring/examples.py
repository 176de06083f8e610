"""Small ready-made objects for examples and first experiments.

:func:`example_card` is the card of the docstring examples: it is built from
its parts with :meth:`~creditkit.scoring.Scorecard.from_parts`, so it needs no
data and no fit.
"""

from __future__ import annotations

from creditkit.scoring.cardspec import NUMERIC, spec_from_table
from creditkit.scoring.scorecard import Scorecard

__all__ = ["example_card"]


def example_card(**params) -> Scorecard:
    """The one-variable card of the docstring examples: age below 30 or not, plus Missing.

    Parameters
    ----------
    **params
        Passed to :meth:`~creditkit.scoring.Scorecard.from_parts` (scaling, rounding).

    Returns
    -------
    Scorecard
        A fitted card on the single variable ``age``.

    Examples
    --------
    >>> import pandas as pd
    >>> card = example_card()
    >>> card.predict_points(pd.DataFrame({"age": [25, 40]})).tolist()[0] < 600
    True
    """
    bins = {"age": spec_from_table("age", NUMERIC, edges=[30], woe_regular=[0.5, -0.5])}
    return Scorecard.from_parts(bins, coef={"age": -1.0}, intercept=-2.0, **params)
