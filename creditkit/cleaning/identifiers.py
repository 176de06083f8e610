"""Chinese resident ID numbers (身份证) and unified social credit codes (统一社会信用代码).

Resident IDs (GB 11643-1999): 6-digit region, 8-digit birth date, 3-digit
sequence, and a check character by ISO 7064 MOD 11-2 (weights 2^(17-i) mod
11; value 10 is written ``X``). 15-digit legacy numbers (born 19xx, no
check) are converted by inserting ``19`` before the year and computing the
check. Credit codes (GB 32100-2015): 18 characters from
``0-9A-HJ-NPQRTUWXY``; the last is a MOD 31 check with weights 3^i mod 31.

Check characters come from :mod:`creditkit.ids`; this module normalises
(full-width, spaces, lower-case x, legacy numbers), validates and extracts
birth date and region, vectorised over the distinct values of a column.

Examples
--------
>>> import pandas as pd
>>> out = parse_id_numbers(pd.Series(["11010519491231002X", "110105491231002"]))
>>> out["id_number"].tolist(), out["birth_date"].dt.year.tolist()
(['11010519491231002X', '11010519491231002X'], [1949, 1949])
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from creditkit.cleaning.text import as_text, on_uniques
from creditkit.ids import CREDIT_CODE_CHARS, credit_code_check_char, id_number_check_digit

__all__ = [
    "PROVINCE_CODES",
    "parse_credit_codes",
    "parse_id_numbers",
    "parse_identifiers",
]

#: First two digits of a resident ID: provinces, 71 Taiwan, 81/82 HK/Macau, 83 permits.
PROVINCE_CODES = frozenset({
    "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37",
    "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64",
    "65", "71", "81", "82", "83",
})


def _clean_code(u: pd.Series) -> pd.Series:
    return u.str.normalize("NFKC").str.upper().str.replace(r"[\s\-]", "", regex=True)


def _ids(u: pd.Series) -> pd.DataFrame:
    v = _clean_code(u)
    legacy = v.str.fullmatch(r"\d{15}")
    v = v.where(~legacy, v.str.slice(0, 6) + "19" + v.str.slice(6))  # 17 digits now
    body = v.str.slice(0, 17)
    shaped = v.str.fullmatch(r"\d{17}[\dX]") | legacy
    expect = pd.Series(None, index=u.index, dtype="str")
    if shaped.any():
        expect[shaped] = id_number_check_digit(body[shaped])
    v = v.where(~legacy, body + expect)
    check_ok = shaped & (v.str.slice(17, 18) == expect)
    birth = pd.to_datetime(v.str.slice(6, 14).where(shaped), format="%Y%m%d", errors="coerce")
    birth_ok = birth.notna() & (birth >= pd.Timestamp("1900-01-01"))
    region_ok = v.str.slice(0, 2).isin(PROVINCE_CODES)
    ok = check_ok & birth_ok & region_ok
    return pd.DataFrame({
        "id_number": v.where(ok).astype("str"),
        "birth_date": birth.where(ok).astype("datetime64[ns]"),
        "region_code": v.str.slice(0, 6).where(ok).astype("str"),
        "reason": pd.Series(np.where(ok, None, "invalid_id_number"), index=u.index, dtype="str"),
    })


def parse_id_numbers(s: pd.Series) -> pd.DataFrame:
    """Validate and normalise resident ID numbers; convert 15-digit legacy ones.

    Returns
    -------
    DataFrame
        ``id_number`` (18 characters, upper-case X), ``birth_date``,
        ``region_code`` (6 digits) and ``reason`` (``invalid_id_number`` for a
        wrong check digit, impossible birth date, unknown province or shape).

    Examples
    --------
    >>> import pandas as pd
    >>> parse_id_numbers(pd.Series(["110105194912310021", "11010519491231002x"]))["reason"].tolist()
    ['invalid_id_number', nan]
    """
    return on_uniques(s, _ids)


def _credit_codes(u: pd.Series) -> pd.DataFrame:
    v = _clean_code(u)
    shaped = v.str.fullmatch(rf"[{CREDIT_CODE_CHARS}]{{18}}")
    expect = pd.Series(None, index=u.index, dtype="str")
    if shaped.any():
        expect[shaped] = credit_code_check_char(v[shaped].str.slice(0, 17))
    ok = shaped & (v.str.slice(17, 18) == expect)
    return pd.DataFrame({
        "credit_code": v.where(ok).astype("str"),
        "region_code": v.str.slice(2, 8).where(ok).astype("str"),
        "reason": pd.Series(np.where(ok, None, "invalid_credit_code"), index=u.index,
                            dtype="str"),
    })


def parse_credit_codes(s: pd.Series) -> pd.DataFrame:
    """Validate unified social credit codes (GB 32100) and normalise to upper case.

    Returns
    -------
    DataFrame
        ``credit_code``, ``region_code`` (characters 3–8) and ``reason``
        (``invalid_credit_code``).

    Examples
    --------
    >>> import pandas as pd
    >>> codes = pd.Series(["91350100m000100y43", "91350100M000100Y44"])
    >>> parse_credit_codes(codes)["reason"].tolist()
    [nan, 'invalid_credit_code']
    """
    return on_uniques(s, _credit_codes)


def parse_identifiers(s: pd.Series, kind: pd.Series | None = None) -> pd.DataFrame:
    """Read a customers ``id_number`` column holding resident IDs or credit codes.

    A row is read as a credit code when ``kind`` is ``business``, or, with no
    kind, when the value has 18 characters and a letter other than a final X;
    otherwise as a resident ID.

    Returns
    -------
    DataFrame
        ``id_number`` (normalised), ``id_type`` (``resident_id``/``credit_code``),
        ``birth_date``, ``region_code`` and ``reason``.

    Examples
    --------
    >>> import pandas as pd
    >>> out = parse_identifiers(pd.Series(["91350100M000100Y43", "11010519491231002X"]))
    >>> out["id_type"].tolist()
    ['credit_code', 'resident_id']
    """
    text = _clean_code(s.astype("str"))
    looks_cc = text.str.fullmatch(r"[0-9A-Z]{17}[0-9A-Z]") & text.str.slice(0, 17).str.contains(
        "[A-Z]")
    is_cc = looks_cc.fillna(False).astype(bool)
    if kind is not None:
        k = kind.reindex(s.index)
        is_cc = (k == "business").fillna(False).astype(bool).where(k.notna(), is_cc)
    ids = parse_id_numbers(s.where(~is_cc, None))
    ccs = parse_credit_codes(s.where(is_cc, None))
    out = pd.DataFrame({
        "id_number": ids["id_number"].fillna(ccs["credit_code"]),
        "id_type": pd.Series(np.where(is_cc, "credit_code", "resident_id"), index=s.index,
                             dtype="str"),
        "birth_date": ids["birth_date"],
        "region_code": ids["region_code"].fillna(ccs["region_code"]),
        "reason": ids["reason"].fillna(ccs["reason"]),
    })
    out["id_type"] = out["id_type"].where(as_text(s).notna(), None)
    return out
