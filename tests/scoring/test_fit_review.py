"""The card a report documents passes its own checks, and its review reads in one language.

Issue 16 item 4: the scorecard notebook kept variables with p-values 0.98 and 0.54 and two
whose coefficient sign contradicts their WoE, and showed the fit warnings twice, in English,
as UserWarning blocks. The default workflow of the notebook (its parameters cell) must give
a card a validator would sign, and the review must be one table in the report language.
"""

from __future__ import annotations

import ast
import json
import re
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from creditkit.display import show_table
from creditkit.exceptions import ParameterError
from creditkit.scoring import BinningProcess, Scorecard
from creditkit.scoring.cardspec import bin_index
from creditkit.scoring.logit import fit_logit
from creditkit.scoring.selection import VariableSelector, significance_filter
from creditkit.scoring.workflow import (
    fit_review_table,
    fit_scorecard,
    performance_table,
    scorecard_headline,
    scoring_sample,
    split_sample,
)

NOTEBOOK = Path(__file__).resolve().parents[2] / "notebooks" / "02-scorecard.ipynb"
#: Latin words a zh review may hold: the statistics the zh label table writes in Latin letters.
ALLOWED_LATIN = {"P", "IV", "WoE", "AUC", "KS", "PSI"}
_LATIN = re.compile(r"[A-Za-z][A-Za-z_'-]*")
_CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]")


def _cells() -> list[dict]:
    return json.loads(NOTEBOOK.read_text(encoding="utf-8"))["cells"]


def _notebook_parameters() -> dict:
    """The literal defaults of the notebook's parameters cell, as papermill reads them."""
    cell = next(c for c in _cells() if "parameters" in c["metadata"].get("tags", []))
    tree = ast.parse("".join(cell["source"]))
    return {node.target.id: ast.literal_eval(node.value) for node in tree.body
            if isinstance(node, ast.AnnAssign)}


@pytest.fixture(scope="module")
def notebook_fit():
    """The notebook's default workflow, with the notebook's own parameter values."""
    p = _notebook_parameters()
    X, y = scoring_sample(p["source"], store_path=p["store_path"], n_customers=p["n_customers"],
                          seed=p["seed"], target_col=p["target"])
    X_train, X_test, y_train, y_test = split_sample(X, y, test_size=p["test_size"],
                                                    seed=p["seed"])
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the report's fit raises no warning into the report
        card = fit_scorecard(
            X_train, y_train, binning=BinningProcess(min_bin_share=p["min_bin_share"]),
            min_iv=p["min_iv"], max_corr=p["max_corr"], max_vif=p["max_vif"],
            max_pvalue=p["max_pvalue"], base_score=p["base_score"], base_odds=p["base_odds"],
            pdo=p["pdo"], rounding=p["rounding"])
    return p, card, (X_train, y_train), (X_test, y_test)


def _woe(card, X: pd.DataFrame) -> np.ndarray:
    return np.column_stack([np.asarray(card.bins_[v].woe)[bin_index(X[v], card.bins_[v])]
                            for v in card.variables_])


def test_notebook_card_passes_significance_sign_and_vif(notebook_fit):
    p, card, (X_train, y_train), _ = notebook_fit
    woe = _woe(card, X_train)
    y = np.asarray(y_train, dtype=float)
    assert len(card.variables_) >= 5
    # p-values of the model of the kept variables, refitted here
    refit = fit_logit(woe, y, l2=1.0 / card.C)  # the card's own (ridge-penalised) fit
    assert refit.pvalues.max() <= p["max_pvalue"], dict(zip(card.variables_, refit.pvalues,
                                                            strict=True))
    np.testing.assert_allclose(refit.coef, card.coef_, rtol=1e-6)
    # sign: the points move with the bad rates, β_j has the sign of cov(WoE_j, y)
    cov = (woe - woe.mean(axis=0)).T @ (y - y.mean())
    against = [v for v, b, c in zip(card.variables_, card.coef_, cov, strict=True) if b * c <= 0]
    assert against == []
    # VIF_j = 1 / (1 - R_j^2), R_j^2 of column j regressed on the others by least squares
    for j, v in enumerate(card.variables_):
        others = np.column_stack([np.ones(len(woe)), np.delete(woe, j, axis=1)])
        beta, *_ = np.linalg.lstsq(others, woe[:, j], rcond=None)
        resid = woe[:, j] - others @ beta
        r2 = 1 - resid.var() / woe[:, j].var()
        assert 1 / (1 - r2) <= p["max_vif"], v
    assert card.fit_review_.empty and card.fit_warnings_ == []


def test_notebook_card_drops_what_the_old_card_kept(notebook_fit):
    """The variables the issue names are out of the card, each with the selection's reason."""
    _, card, (X_train, y_train), _ = notebook_fit
    # the card before issue 15: no p-value or sign check of its own, no penalty
    old = Scorecard(card.binning_, max_pvalue=None, sign_check=False, C=None)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        old.fit(X_train, y_train)  # plain Scorecard.fit still warns a Python user
    assert any("coefficient sign contradicts WoE" in str(w.message) for w in caught)
    weak = old.coef_table_.iloc[1:].query("p_value > 0.5")["variable"].tolist()
    bad_sign = old.fit_review_.query("issue == 'sign_against_woe'")["variable"].tolist()
    assert weak and bad_sign
    decisions = card.selector_.decisions_.set_index("variable")
    for v in weak + bad_sign:
        assert v not in card.variables_
        assert not decisions.loc[v, "kept"] and decisions.loc[v, "reason"] != "kept"


def _shown_text(review: pd.DataFrame, lang: str) -> str:
    page = show_table(review, lang=lang, values=["issue", "action"]).data
    return " ".join(re.sub(r"<[^>]+>", " ", page).split())


def _review_with_findings(notebook_fit) -> pd.DataFrame:
    """A review with every kind of row: selection drops, fit findings, weak p-values."""
    _, card, (X_train, y_train), _ = notebook_fit
    plain = Scorecard(card.binning_, selector=VariableSelector(max_vif=None, max_corr=None,
                                                               min_iv=0.0),
                      max_pvalue=None, sign_check=False)  # checks off: findings to review
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        plain.fit(X_train, y_train)
    return plain


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_review_table_speaks_only_the_report_language(notebook_fit, lang: str):
    _, card, _, _ = notebook_fit
    plain = _review_with_findings(notebook_fit)
    for review in (fit_review_table(card, lang=lang),
                   fit_review_table(plain, lang=lang, max_pvalue=0.05)):
        text = _shown_text(review, lang)
        if lang == "zh":
            latin = set(_LATIN.findall(text)) - ALLOWED_LATIN
            assert not latin, f"English in the zh review: {sorted(latin)}: {text}"
        else:
            assert not _CJK.findall(text), f"Chinese in the en review: {text}"
    issues = fit_review_table(plain, lang=lang)["issue"].tolist()
    assert {"single_bin", "sign_against_woe", "pvalue_too_high"} <= set(issues)


def test_review_table_says_what_which_and_what_to_do(notebook_fit):
    _, card, _, _ = notebook_fit
    review = fit_review_table(card, lang="en")
    assert review.columns.tolist() == ["issue", "variables", "action"]
    rows = review.set_index("issue")
    # the selection's drops, named by label, and a closing row saying the card passes
    assert "Property" in rows.loc["pvalue_too_high", "variables"]
    assert rows.loc["pvalue_too_high", "action"] == "action_dropped"
    assert rows.loc["checks_passed", "action"] == "action_none"
    assert rows.loc["checks_passed", "variables"].count(", ") == len(card.variables_) - 1
    plain = fit_review_table(_review_with_findings(notebook_fit), lang="en").set_index("issue")
    assert plain.loc["sign_against_woe", "action"] == "action_sign"
    assert plain.loc["single_bin", "action"] == "action_single_bin"
    assert "checks_passed" not in plain.index


def test_review_table_refuses_an_unfitted_card():
    with pytest.raises(ParameterError, match="needs a fitted Scorecard"):
        fit_review_table(Scorecard(), lang="en")


def test_headline_figures_are_the_report_tables_figures(notebook_fit):
    p, card, train, test = notebook_fit
    figs = scorecard_headline(card, train, test, bands=p["n_bands"])
    perf = performance_table(card, {"test": test}).iloc[0]
    assert figs["auc_test"] == perf["auc"] and figs["ks_test"] == perf["ks"]
    assert figs["gini_test"] == perf["gini"]
    assert figs["n_variables"] == len(card.variables_)
    assert figs["sample_bad_rate"] == pytest.approx(0.3)  # German credit: 300 bads of 1000
    assert 0 <= figs["score_psi"] < 0.1
    with pytest.raises(ParameterError, match="bands must be an integer"):
        scorecard_headline(card, train, test, bands=1)


def test_significance_filter_drops_a_suppressor_and_noise():
    rng = np.random.default_rng(3)
    n = 3000
    a = rng.normal(size=n)
    b = a + rng.normal(0, 0.3, n)  # a copy of a: in the model its sign turns
    noise = rng.normal(size=n)
    y = (rng.random(n) < 1 / (1 + np.exp(1 + 1.2 * a))).astype(int)
    woe = pd.DataFrame({"a": a, "b": b, "noise": noise})
    table = significance_filter(woe, y, max_pvalue=0.05).set_index("variable")
    kept = table.index[table["kept"]].tolist()
    assert "a" in kept and "noise" not in kept
    fit = fit_logit(woe[kept], y)
    assert (fit.pvalues <= 0.05).all()
    cov = woe[kept].sub(woe[kept].mean()).T @ (y - y.mean())
    assert (np.sign(fit.coef) == np.sign(cov.to_numpy())).all()
    assert set(table.loc[~table["kept"], "reason"]) <= {"pvalue_too_high", "sign_against_woe"}


@pytest.mark.parametrize("bad", [0, -0.1, 1.5, "0.05"])
def test_significance_filter_refuses_a_bad_maximum(bad):
    woe = pd.DataFrame({"a": [0.1, -0.1, 0.2, -0.2]})
    with pytest.raises(ParameterError, match="max_pvalue must be in"):
        significance_filter(woe, [0, 1, 0, 1], max_pvalue=bad)


# --- the notebook: review shown once, no warnings hacks, sections numbered -----------------

def test_notebook_shows_the_review_once_and_silences_nothing():
    code = ["".join(c["source"]) for c in _cells() if c["cell_type"] == "code"]
    assert not any("warnings" in s for s in code), "no warnings filters in notebook cells"
    assert sum("fit_review_table(" in s for s in code) == 1
    assert not any("fit_review_" in s.replace("fit_review_table", "") for s in code)
    assert not any("Scorecard(" in s for s in code), "the report fits through fit_scorecard"


def test_notebook_sections_are_numbered_from_one_after_the_headline():
    from creditkit.labels import label

    cells = [c for c in _cells() if c["cell_type"] == "code"]
    srcs = ["".join(c["source"]) for c in cells]
    title = next(i for i, s in enumerate(srcs) if "scorecard_report_title" in s)
    assert "headline(scorecard_headline(" in srcs[title]
    heads = [(m.group(1), int(m.group(2) or 2))
             for s in srcs[title + 1:]
             for m in re.finditer(r'heading\("(\w+)", lang=lang(?:, level=(\d))?\)', s)]
    first_heading_cell = next(i for i, s in enumerate(srcs) if i > title and "heading(" in s)
    assert first_heading_cell == title + 1, "section 1 follows the title and headline block"
    section = 0
    sub = 0
    for key, level in heads:
        for lang in ("zh", "en"):
            number = label(key, lang).split(" ", 1)[0]
            if level == 2:
                assert number == f"{section + 1}.", (key, lang, number)
            else:
                assert level == 3 and number == f"{section}.{sub + 1}", (key, lang, number)
        section, sub = (section + 1, 0) if level == 2 else (section, sub + 1)
    assert section >= 10
