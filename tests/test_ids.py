"""Tests for creditkit.ids: GB 11643 ID numbers and GB 32100 credit codes."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from creditkit.exceptions import ParameterError
from creditkit.ids import (
    CREDIT_CODE_CHARS,
    check_credit_code,
    check_id_number,
    credit_code_check_char,
    id_number_check_digit,
)


@pytest.mark.parametrize(("value", "ok"), [
    ("11010519491231002X", True),   # the example printed in GB 11643-1999
    ("11010519491231002x", True),   # lower-case check character
    ("110105194912310021", False),  # wrong check digit
    ("11010519491231002", False),   # 17 characters
    ("1101051949123100211", False),  # 19 characters
    ("11010519491331002X", False),  # month 13 (check digit recomputed below)
    ("A1010519491231002X", False),
    ("", False),
    (None, False),
])
def test_check_id_number_table(value, ok):
    assert check_id_number(pd.Series([value])).tolist() == [ok]


def test_strict_checks_birth_date_and_province():
    bad_month = "11010519491331002"
    bad_province = "99010519491231002"
    values = [v + id_number_check_digit(v) for v in (bad_month, bad_province)]
    assert check_id_number(values).tolist() == [False, False]
    assert check_id_number(values, strict=False).tolist() == [True, True]


def test_validators_keep_the_index_and_do_not_mutate():
    s = pd.Series(["11010519491231002X", None], index=[10, 20])
    before = s.copy()
    out = check_id_number(s)
    assert out.index.tolist() == [10, 20] and out.dtype == bool
    pd.testing.assert_series_equal(s, before)


@pytest.mark.parametrize(("value", "ok"), [
    ("91350100M000100Y43", True),
    ("91350100m000100y43", True),
    ("91350100M000100Y44", False),
    ("91350100M000100Y4", False),
    ("91350100M000100I43", False),  # I is not in the character set
    (None, False),
])
def test_check_credit_code_table(value, ok):
    assert check_credit_code([value]).tolist() == [ok]


def test_check_characters_scalar_and_series():
    assert id_number_check_digit("11010519491231002") == "X"
    assert credit_code_check_char("91350100M000100Y4") == "3"
    out = id_number_check_digit(pd.Series(["11010519491231002"], index=[7]))
    assert out.index.tolist() == [7] and out.tolist() == ["X"]


@pytest.mark.parametrize("bad", ["1101051949123100", "1101051949123100A", None])
def test_id_number_check_digit_rejects_bad_input(bad):
    with pytest.raises(ParameterError, match="first 17 characters of a resident ID number"):
        id_number_check_digit([bad])


def test_credit_code_check_char_rejects_bad_input():
    with pytest.raises(ParameterError, match="unified social credit code"):
        credit_code_check_char("91350100M000100I4")


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="0123456789", min_size=17, max_size=17), st.integers(0, 16),
       st.integers(1, 9))
def test_id_number_single_digit_errors_are_caught(body, pos, delta):
    full = body + id_number_check_digit(body)
    assert check_id_number([full], strict=False).all()
    typo = full[:pos] + str((int(full[pos]) + delta) % 10) + full[pos + 1:]
    assert not check_id_number([typo], strict=False).any()


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=CREDIT_CODE_CHARS, min_size=17, max_size=17), st.integers(0, 16),
       st.integers(1, 30))
def test_credit_code_single_character_errors_are_caught(body, pos, delta):
    full = body + credit_code_check_char(body)
    assert check_credit_code([full]).all()
    swapped = CREDIT_CODE_CHARS[(CREDIT_CODE_CHARS.index(full[pos]) + delta) % 31]
    assert not check_credit_code([full[:pos] + swapped + full[pos + 1:]]).any()


def test_empty_and_all_missing_inputs():
    empty = pd.Series([], dtype="str")
    assert id_number_check_digit(empty).tolist() == []
    assert credit_code_check_char(empty).tolist() == []
    assert check_id_number(empty).tolist() == []
    assert check_credit_code(pd.Series([None, None])).tolist() == [False, False]
