"""Quarantine explanations for people: the report's language only, column labels not names."""

from __future__ import annotations

import importlib
import re
import warnings
from pathlib import Path

import pandas as pd
import pytest

from creditkit import cleaning
from creditkit.cleaning import REASONS, explain_quarantine
from creditkit.exceptions import ParameterError
from creditkit.labels import LABELS

SAMPLES = Path(__file__).resolve().parents[2] / "datasets" / "samples"
LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
CJK = re.compile(r"[\u3400-\u9fff]")


@pytest.fixture(scope="module")
def results() -> dict:
    return cleaning.clean_sources(
        [SAMPLES / "customers_crm.csv", SAMPLES / "customers_erp.csv"],
        bills=SAMPLES / "bills.csv", payments=SAMPLES / "payments.csv", as_of="2024-12-31")


@pytest.mark.parametrize("reason", [*REASONS, "exact_duplicate"])
def test_every_reason_has_an_explanation_in_both_languages(reason: str) -> None:
    zh, en = (LABELS[f"why_{reason}"][lang].replace("{row}", "") for lang in ("zh", "en"))
    assert not LATIN_WORD.search(zh) and not CJK.search(en)


def test_zh_explanations_hold_no_latin_word_and_no_internal_name(results: dict) -> None:
    rows = cleaning.quarantine_rows(results, lang="zh")
    assert "message" not in rows.columns
    text = rows["explanation"]
    assert not text.str.contains(LATIN_WORD).any(), text[text.str.contains(LATIN_WORD)].tolist()
    assert rows["explanation"].str.startswith("授信额度：").any()  # not credit_limit_minor


def test_en_explanations_hold_no_chinese(results: dict) -> None:
    text = cleaning.quarantine_rows(results, lang="en")["explanation"]
    assert not text.str.contains(CJK).any()
    assert not text.str.contains("_minor").any()


def test_values_as_written_sit_in_their_own_column(results: dict) -> None:
    # a value as written is data, in the file's language: never inside the explanation
    for lang in ("zh", "en"):
        rows = cleaning.quarantine_rows(results, lang=lang)
        cols = list(rows.columns)
        assert cols[cols.index("explanation") + 1] == "value_as_written"
        assert "ten thousand" in set(rows["value_as_written"])
        assert not rows["explanation"].str.contains(r"got '|原值|ten thousand|比特币").any()
    en = cleaning.quarantine_rows(results, lang="en")
    assert "比特币" in set(en["value_as_written"])
    masked = cleaning.quarantine_rows(results, lang="zh")  # personal values stay masked
    phones = masked.loc[masked["column"] == "phone", "value_as_written"].dropna()
    assert phones.str.contains(r"\*").all()


def test_value_as_written() -> None:
    q = pd.DataFrame({"message": ["amount: not a number (got 'abc'); also unknown_kind(kind)",
                                  "line 7: row has no values at all"]})
    assert cleaning.value_as_written(q).tolist() == ["abc", None]
    q = q.assign(reason=["unparseable_amount", "empty_row"], column=["amount_minor", "*"])
    assert "原值" not in explain_quarantine(q, "zh", quote_value=False)[0]
    assert "（原值：'abc'）" in explain_quarantine(q, "zh")[0]  # the default: as before
    with pytest.raises(ParameterError, match="needs a 'message' column"):
        cleaning.value_as_written(q.drop(columns="message"))


def test_the_quarantine_keeps_its_machine_message(results: dict) -> None:
    q = results["customers_erp.csv"].quarantine
    assert q["message"].str.contains("credit_limit_minor: amount is not a number").any()
    assert cleaning.quarantine_rows(results)["message"].notna().all()  # lang=None: as before


def test_explanation_parts() -> None:
    q = pd.DataFrame({
        "reason": ["invalid_phone", "empty_row", "exact_duplicate"],
        "column": ["phone", "*", "*"],
        "message": ["phone: phone is neither ... (got '138****5678'); also unknown_kind(kind)",
                    "line 7: row has no values at all", "exact duplicate of source row 4"]})
    assert explain_quarantine(q, "zh").tolist() == [
        "手机号：既不是 11 位手机号，也不是带区号的固定电话（原值：'138****5678'）；"
        "另有：类型无法识别（类型）",
        "该行没有任何值",
        "与源文件第 4 行内容完全相同，已合并"]
    assert explain_quarantine(q, "en")[2] == "Same content as source row 4; merged into it"


def test_explain_errors() -> None:
    with pytest.raises(ParameterError, match=r"needs columns \['message'\]"):
        explain_quarantine(pd.DataFrame(columns=["reason", "column"]), "zh")
    with pytest.raises(ParameterError, match="lang must be one of"):
        explain_quarantine(pd.DataFrame(columns=["reason", "column", "message"]), "fr")


def test_tables_are_named_in_the_report_language(results: dict) -> None:
    assert cleaning.intake_summary(results, lang="zh")["table"].tolist() == [
        "客户", "客户", "账单", "回款"]
    assert set(cleaning.reasons_by_file(results, lang="en")["table"]) == {
        "Customers", "Bills", "Payments"}
    assert set(cleaning.reasons_by_file(results)["table"]) == {"customers", "bills", "payments"}
    assert cleaning.table_label("transactions", "zh") == "交易"


def test_review_module_still_answers_with_a_warning() -> None:
    import creditkit.deprecation
    from creditkit.cleaning import review

    importlib.reload(creditkit.deprecation)  # forget what earlier tests were warned about
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        assert review.intake_summary is cleaning.intake_summary
        assert review.intake_summary is cleaning.intake_summary
    assert len(seen) == 1 and seen[0].category is FutureWarning
    assert "use creditkit.cleaning.intake_summary" in str(seen[0].message)
    with pytest.raises(AttributeError):
        review.no_such_name  # noqa: B018
