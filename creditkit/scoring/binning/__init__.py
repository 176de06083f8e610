"""Binning and WoE/IV: optimal monotonic binning of credit variables.

Public names: :class:`OptimalBinning` (one variable) and
:class:`BinningProcess` (a frame), both scikit-learn transformers, plus
:func:`woe_iv` for the arithmetic and :func:`iv_from_woe` for WoE columns.
Import them from here; the modules hold one concept each:

- :mod:`~creditkit.scoring.binning.optimal`: :class:`OptimalBinning`;
- :mod:`~creditkit.scoring.binning.process`: :class:`BinningProcess`;
- :mod:`~creditkit.scoring.binning.dp`: WoE/IV arithmetic and the exact dynamic programme;
- :mod:`~creditkit.scoring.binning.edits`: bin edits and the JSON round trip;
- :mod:`~creditkit.scoring.binning.iv`: IV of columns that already hold WoE;
- ``_cells`` (internal): the per-cell counts the others work on.

Method: prebins of about equal size, then an exact dynamic programme that
maximises IV subject to a strictly monotonic (or peak / valley) bad rate,
a minimum bin share and a maximum number of bins. Missing values and special
values get their own bins. Bin edits (merge, split, set edges) regroup stored
per-cell counts, so they need no refit and survive ``to_json``/``from_json``.

WoE sign convention (optbinning's): ``WoE = ln(share of goods / share of bads)``,
smoothed by adding ``smoothing`` (default 0.5) to the goods and the bads of every
bin; a high WoE is a safe bin, and in a logistic model of P(bad) on WoE every
coefficient should be negative.

Examples
--------
>>> import numpy as np
>>> woe, iv = woe_iv(np.array([40, 10]), np.array([10, 40]), 50, 50, smoothing=0)
>>> np.round(woe, 3).tolist(), round(float(iv.sum()), 3)
([1.386, -1.386], 1.664)
"""

from __future__ import annotations

from creditkit.scoring.binning.dp import woe_iv
from creditkit.scoring.binning.iv import iv_from_woe
from creditkit.scoring.binning.optimal import OptimalBinning
from creditkit.scoring.binning.process import BinningProcess

__all__ = ["BinningProcess", "OptimalBinning", "iv_from_woe", "woe_iv"]
