"""Notebook widgets for scorecard work: a bin editor and a cut-off explorer.

Both are plain ipywidgets whose callbacks call package functions and write
their results into widget traits (``HTML.value``), so they can be driven and
tested headless by setting traits and clicking buttons. They only make sense
live: notebook cells that show them carry the ``report-hide`` tag.

Every control is named and explained (tooltip) from the label table in the
view's language, and results are tables formatted like the report's
(:func:`creditkit.display.widgets.widget_table_html`): rates as percentages,
"–" for a rate without cases, money with its currency, whole-point cut-offs.
"""

from __future__ import annotations

import copy
import html
import warnings
from fractions import Fraction

import ipywidgets as W
import numpy as np
import pandas as pd

from creditkit.checks import check_lang
from creditkit.deprecation import renamed_keywords
from creditkit.display.widgets import widget_table_html
from creditkit.exceptions import CreditkitError, ParameterError
from creditkit.labels import label
from creditkit.money import minor_unit_exponent
from creditkit.scoring._order import true_and_score
from creditkit.scoring.binlabels import label_bins
from creditkit.scoring.metrics import auc, cutoff_table
from creditkit.scoring.scorecard import Scorecard

__all__ = ["BinEditor", "CutoffExplorer"]


class _Refused(Exception):
    """An edit the editor refuses; ``key`` names its message in the label table."""

    def __init__(self, key: str, **fields: object) -> None:
        super().__init__(key)
        self.key, self.fields = key, fields


class BinEditor(W.VBox):
    """Merge or split the bins of one variable and see WoE, IV and model AUC update.

    Controls are named and explained in ``lang`` (tooltips): the variable, the
    number of the bin to merge with the next one, a split point (a number, or a
    category as written or as labelled), and a reset. The table shows each bin's
    number (empty for the Missing and special bins, which do not merge), label,
    count, share and bad rate as percentages ("–" when a bin is empty), WoE and
    IV, formatted like the report's tables. A failed edit or a doubt about it
    (the bad rate no longer monotonic, a split moved to a value in the data) is
    said in ``message``, in ``lang``.

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
    >>> ed.merge_button.description
    'Merge with next bin'
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
        say = lambda key: label(key, lang)  # noqa: E731 - every control text from the table
        self.variable = W.Dropdown(options=[(say(v), v) for v in names], value=names[0],
                                   description=say("variable"), tooltip=say("edit_variable_tip"))
        self.merge_index = W.BoundedIntText(value=0, min=0, max=0,
                                            description=say("edit_bin_number"),
                                            tooltip=say("edit_bin_number_tip"))
        self.merge_button = W.Button(description=say("edit_merge"), tooltip=say("edit_merge_tip"))
        self.split_value = W.Text(value="", description=say("edit_split_value"),
                                  tooltip=say("edit_split_tip"))
        self.split_button = W.Button(description=say("edit_split"), tooltip=say("edit_split_tip"))
        self.reset_button = W.Button(description=say("edit_reset"), tooltip=say("edit_reset_tip"))
        # language-independent handles for browser tests and custom styling
        for control, name in ((self.merge_button, "ck-merge"), (self.split_button, "ck-split"),
                              (self.reset_button, "ck-reset")):
            control.add_class(name)
        self.table = W.HTML(tooltip="")
        self.summary = W.HTML(tooltip="")
        self.message = W.HTML(tooltip="")
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

    def _say(self, *notes: tuple[str, dict]) -> None:
        """Show messages of the label table, each ``(key, fields)``, in the editor's language."""
        sep = "；" if self.lang == "zh" else "; "
        text = sep.join(label(key, self.lang).format(**fields) for key, fields in notes)
        self.message.value = f"<span style='color:#b00'>{html.escape(text)}</span>"

    def _split_point(self, var: str) -> object:
        """The split the text names: a float, or the category as fitted (label or as written)."""
        text = self.split_value.value.strip()
        if var not in getattr(self.binning_, "categorical_", []):
            try:
                point = float(text)
            except ValueError:
                raise _Refused("edit_bad_number") from None
            if not np.isfinite(point):
                raise _Refused("edit_bad_number")
            return point
        known = {}
        for cat in (str(c) for c in self.binning_.binnings_[var].cells_["categories"]):
            known.update({cat: cat, label(cat, "zh"): cat, label(cat, "en"): cat})
        if text not in known:
            raise _Refused("edit_unknown_category")
        return known[text]

    def _edit(self, action: str) -> None:
        var = self.variable.value
        n_clean = self.binning_.binnings_[var].n_clean_bins_
        notes: list[tuple[str, dict]] = []
        try:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                if action == "merge":
                    i = int(self.merge_index.value)
                    if n_clean < 2:
                        raise _Refused("edit_one_bin")
                    if not 0 <= i <= n_clean - 2:
                        raise _Refused("edit_bad_merge", last=n_clean - 2)
                    self.binning_.merge_bins(var, i, i + 1)
                elif action == "split":
                    point = self._split_point(var)
                    self.binning_.split_bin(var, point)
                    if isinstance(point, float):  # numeric: say if it landed elsewhere
                        splits = np.asarray(self.binning_.binnings_[var].splits_, dtype=float)
                        if len(splits) and point not in set(splits):
                            near = splits[np.argmin(np.abs(splits - point))]
                            notes.append(("edit_split_moved", {"value": f"{near:g}"}))
                else:
                    self.binning_ = copy.deepcopy(self._original)
        except _Refused as refused:
            self._say((refused.key, refused.fields))
            return
        except (CreditkitError, ValueError):  # the binning's own refusal is in English
            self._say(("edit_failed", {}))
            return
        # besides a moved split, merge_bins / split_bin warn only when the fitted trend breaks
        if len(caught) > len(notes):
            notes.append(("edit_trend_broken", {}))
        if notes:
            self._say(*notes)
        else:
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
        n_clean = self.binning_.binnings_[var].n_clean_bins_
        self.merge_index.max = max(0, n_clean - 2)
        is_cat = var in getattr(self.binning_, "categorical_", [])
        self.split_value.placeholder = label(
            "edit_split_hint_category" if is_cat else "edit_split_hint_number", self.lang)
        tab = self.binning_.table(var, totals=False)
        cols = [c for c in ("bin", "count", "share", "bad_rate", "woe", "iv") if c in tab]
        number = pd.array([i if i < n_clean else pd.NA for i in range(len(tab))], dtype="Int64")
        shown = label_bins(tab[cols].reset_index(drop=True), self.lang)
        shown.insert(0, "bin_index", number)
        self.table.value = widget_table_html(shown, lang=self.lang, max_rows=len(shown) or 1)
        iv = float(self.binning_.iv_[var])
        name = html.escape(label(var, self.lang))
        self.summary.value = (f"<b>{name}</b> · {label('iv', self.lang)} {iv:.4f}"
                              f" · {label('auc', self.lang)} {self.auc_:.4f}")


class CutoffExplorer(W.VBox):
    """Move a cut-off and read the approval rate, bad rate and expected loss.

    The slider moves in whole points from a round starting value (the median
    score rounded to 10); the result is a table formatted like the report's:
    rates as percentages ("–" when nobody is approved), expected loss as money
    in ``currency`` when ``exposure_minor`` is given, and the expected loss rate
    (expected loss over the approved exposure; without an exposure every
    approved applicant counts the same, so it is the approved bad rate × LGD).

    Parameters
    ----------
    y_true, y_score : outcomes (1 = bad) and scores of a validation sample, in
        scikit-learn's order; the old order ``(points, y)`` works for one release
        with a ``FutureWarning`` (the rule of
        :func:`creditkit.scoring.metrics.score_bands`).
    exposure_minor : int or array of int, optional; lgd : str
        As in :func:`creditkit.scoring.metrics.cutoff_table`.
    currency : str, default "CNY"
        ISO 4217 code of ``exposure_minor``.
    lang : {"zh", "en"}

    Attributes
    ----------
    row_ : Series, the :func:`~creditkit.scoring.metrics.cutoff_table` row at the cut-off.

    Examples
    --------
    >>> ex = CutoffExplorer([1, 0, 1, 0], [500, 550, 600, 650], lang="en")
    >>> ex.cutoff.value, ex.cutoff.step
    (580, 1)
    >>> ex.cutoff.value = 550
    >>> float(ex.row_["approval_rate"])
    0.75
    >>> ">75.0%<" in ex.result.value and ">550<" in ex.result.value
    True
    """

    def __init__(self, y_true, y_score, *, exposure_minor=None, lgd: str = "0.45",
                 currency: str = "CNY", lang: str = "zh"):
        check_lang(lang)
        minor_unit_exponent(currency)  # an unknown code fails here, naming the fix
        self.lang = lang
        y_true, y_score = true_and_score(y_true, y_score, who="CutoffExplorer")
        self._points = np.asarray(y_score, dtype="float64")
        self._y = np.asarray(y_true)
        self._exposure = exposure_minor
        self._lgd = lgd
        self._currency = str(currency).upper()
        cutoff_table(self._y, self._points, cutoffs=[float(np.median(self._points))],
                     exposure_minor=exposure_minor, lgd=lgd)  # bad input fails before a widget
        lo, hi = int(np.floor(self._points.min())), int(np.ceil(self._points.max()))
        start = min(max(round(float(np.median(self._points)) / 10.0) * 10, lo), hi)
        self.cutoff = W.IntSlider(value=start, min=lo, max=hi, step=1,
                                  description=label("cutoff", lang),
                                  tooltip=label("cutoff_tip", lang), continuous_update=False)
        self.result = W.HTML(tooltip="")
        self.cutoff.observe(lambda _: self._refresh(), names="value")
        super().__init__([self.cutoff, self.result])
        self._refresh()

    __init__.__name__ = "CutoffExplorer"  # the deprecation warning names the class
    __init__ = renamed_keywords(y="y_true", points="y_score")(__init__)

    def _refresh(self) -> None:
        cut = int(self.cutoff.value)
        tab = cutoff_table(self._y, self._points, cutoffs=[cut],
                           exposure_minor=self._exposure, lgd=self._lgd)
        self.row_ = tab.iloc[0]
        shown = tab.assign(cutoff=tab["cutoff"].round().astype("int64"))
        note = ""
        if self._exposure is None:
            lgd = float(Fraction(str(self._lgd)))
            shown = shown.drop(columns="expected_loss_minor").assign(
                expected_loss_rate=shown["bad_rate"] * lgd)
            note = label("expected_loss_equal_exposure", self.lang).format(lgd=f"{lgd:.2%}"
                                                                           .replace(".00%", "%"))
        else:
            expo = np.broadcast_to(np.asarray(self._exposure, dtype="int64"), self._points.shape)
            approved = int(expo[self._points >= cut].sum())
            el = self.row_["expected_loss_minor"]
            shown = shown.assign(expected_loss_rate=(int(el) / approved) if approved else np.nan,
                                 currency=self._currency)
        self.result.value = widget_table_html(shown, lang=self.lang, note=note)
