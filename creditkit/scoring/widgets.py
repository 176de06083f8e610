"""Notebook widgets for scorecard work: a bin editor and a cut-off explorer.

Both are plain ipywidgets whose callbacks call package functions and write
their results into widget traits (``HTML.value``), so they can be driven and
tested headless by setting traits and clicking buttons. They only make sense
live: notebook cells that show them carry the ``report-hide`` tag.
"""

from __future__ import annotations

import copy
import html
import warnings

import ipywidgets as W
import numpy as np
import pandas as pd

from creditkit.checks import check_lang
from creditkit.deprecation import renamed_keywords
from creditkit.exceptions import CreditkitError, ParameterError
from creditkit.labels import label
from creditkit.scoring._order import true_and_score
from creditkit.scoring.binlabels import label_bins
from creditkit.scoring.metrics import auc, cutoff_table
from creditkit.scoring.scorecard import Scorecard

__all__ = ["BinEditor", "CutoffExplorer"]


def _table_html(df: pd.DataFrame, lang: str) -> str:
    shown = df.rename(columns=lambda c: label(c, lang))
    return shown.to_html(index=False, float_format=lambda v: f"{v:.4f}", escape=True,
                         border=0, classes="ck-table")


class BinEditor(W.VBox):
    """Merge or split the bins of one variable and see WoE, IV and model AUC update.

    Parameters
    ----------
    binning : BinningProcess
        A fitted binning; the editor works on its own copy (``binning_``).
    X_train, y_train : training sample the scorecard is refitted on after each edit.
    X_test, y_test : optional hold-out sample for the AUC (default: training sample).
    scorecard_params : dict, optional
        Parameters of the :class:`Scorecard` refitted after each edit.
    lang : {"zh", "en"}

    Attributes
    ----------
    binning_ : the edited BinningProcess (pass it to ``Scorecard(binning_)``).
    card_ : the scorecard refitted after the last edit.
    auc_ : float, the AUC of ``card_`` on the evaluation sample.

    Examples
    --------
    >>> from creditkit.scoring import BinningProcess
    >>> X = pd.DataFrame({"age": np.arange(200.0), "n": np.arange(200.0) % 7})
    >>> y = (np.arange(200) % 3 == 0) | (np.arange(200) < 40)
    >>> ed = BinEditor(BinningProcess(min_bin_share=0.1).fit(X, y), X, y.astype(int), lang="en")
    >>> n = len(ed.binning_.table("age", totals=False))
    >>> ed.merge_index.value = 0
    >>> ed.merge_button.click()
    >>> len(ed.binning_.table("age", totals=False)) == n - 1
    True
    """

    def __init__(self, binning, X_train: pd.DataFrame, y_train, X_test=None, y_test=None, *,
                 scorecard_params: dict | None = None, lang: str = "zh"):
        check_lang(lang)
        if not hasattr(binning, "binnings_"):
            raise ParameterError("binning must be a fitted creditkit BinningProcess; call "
                                 "BinningProcess().fit(X, y) first")
        self.lang = lang
        self._original = copy.deepcopy(binning)
        self.binning_ = copy.deepcopy(binning)
        self._train = (X_train, np.asarray(y_train))
        self._eval = (X_train, np.asarray(y_train)) if X_test is None else (X_test,
                                                                          np.asarray(y_test))
        self._params = dict(scorecard_params or {})
        names = list(self.binning_.iv_.index)
        self.variable = W.Dropdown(options=names, value=names[0], description=label("variable",
                                                                                    lang))
        self.merge_index = W.BoundedIntText(value=0, min=0, max=100, description="i")
        self.merge_button = W.Button(description="merge i, i+1")
        self.split_value = W.Text(value="", description="value")
        self.split_button = W.Button(description="split")
        self.reset_button = W.Button(description="reset")
        self.table = W.HTML()
        self.summary = W.HTML()
        self.message = W.HTML()
        self.variable.observe(lambda _: self._refresh(refit=False), names="value")
        self.merge_button.on_click(lambda _: self._edit("merge"))
        self.split_button.on_click(lambda _: self._edit("split"))
        self.reset_button.on_click(lambda _: self._edit("reset"))
        super().__init__([
            self.variable,
            W.HBox([self.merge_index, self.merge_button]),
            W.HBox([self.split_value, self.split_button, self.reset_button]),
            self.summary, self.message, self.table,
        ])
        self._refresh(refit=True)

    def _edit(self, action: str) -> None:
        var = self.variable.value
        try:
            if action == "merge":
                i = int(self.merge_index.value)
                self.binning_.merge_bins(var, i, i + 1)
            elif action == "split":
                text = self.split_value.value.strip()
                is_cat = var in getattr(self.binning_, "categorical_", [])
                self.binning_.split_bin(var, text if is_cat else float(text))
            else:
                self.binning_ = copy.deepcopy(self._original)
        except (CreditkitError, ValueError) as exc:
            self.message.value = f"<span style='color:#b00'>{html.escape(str(exc))}</span>"
            return
        self.message.value = ""
        self._refresh(refit=True)

    def _refresh(self, *, refit: bool) -> None:
        var = self.variable.value
        if refit:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", UserWarning)  # shown in the notebook's fit
                self.card_ = Scorecard(self.binning_, **self._params).fit(*self._train)
            X_eval, y_eval = self._eval
            self.auc_ = auc(y_eval, self.card_.predict_points(X_eval))
        tab = self.binning_.table(var, totals=False)
        cols = [c for c in ("bin", "count", "share", "bad_rate", "woe", "iv") if c in tab]
        shown = label_bins(tab[cols].reset_index(names="i"), self.lang)
        self.table.value = _table_html(shown, self.lang)
        iv = float(self.binning_.iv_[var])
        name = html.escape(label(var, self.lang))
        self.summary.value = (f"<b>{name}</b> · {label('iv', self.lang)} {iv:.4f}"
                              f" · {label('auc', self.lang)} {self.auc_:.4f}")


class CutoffExplorer(W.VBox):
    """Move a cut-off and read the approval rate, bad rate and expected loss.

    Parameters
    ----------
    y_true, y_score : outcomes (1 = bad) and scores of a validation sample, in
        scikit-learn's order; the old order ``(points, y)`` works for one release
        with a ``FutureWarning`` (the rule of
        :func:`creditkit.scoring.metrics.score_bands`).
    exposure_minor : int or array of int, optional; lgd : str
        As in :func:`creditkit.scoring.metrics.cutoff_table`.
    lang : {"zh", "en"}

    Examples
    --------
    >>> ex = CutoffExplorer([1, 0, 1, 0], [500, 550, 600, 650], lang="en")
    >>> ex.cutoff.value = 550
    >>> float(ex.row_["approval_rate"])
    0.75
    """

    def __init__(self, y_true, y_score, *, exposure_minor=None, lgd: str = "0.45",
                 lang: str = "zh"):
        check_lang(lang)
        self.lang = lang
        y_true, y_score = true_and_score(y_true, y_score, who="CutoffExplorer")
        self._points = np.asarray(y_score, dtype="float64")
        self._y = np.asarray(y_true)
        self._exposure = exposure_minor
        self._lgd = lgd
        lo, hi = float(np.floor(self._points.min())), float(np.ceil(self._points.max()))
        self.cutoff = W.FloatSlider(value=float(np.median(self._points)), min=lo, max=hi,
                                    step=1.0, description=label("cutoff", lang),
                                    continuous_update=False)
        self.result = W.HTML()
        self.cutoff.observe(lambda _: self._refresh(), names="value")
        super().__init__([self.cutoff, self.result])
        self._refresh()

    __init__.__name__ = "CutoffExplorer"  # the deprecation warning names the class
    __init__ = renamed_keywords(y="y_true", points="y_score")(__init__)

    def _refresh(self) -> None:
        tab = cutoff_table(self._y, self._points, cutoffs=[self.cutoff.value],
                           exposure_minor=self._exposure, lgd=self._lgd)
        self.row_ = tab.iloc[0]
        self.result.value = _table_html(tab, self.lang)
