"""Masking of personal data: names, ID numbers, phones, bank cards, e-mails.

Every masker takes a Series and returns a new Series of the same index and
name; missing values stay missing (``None`` stays ``None`` in an object
column, ``NaN`` in a ``str`` column). Everything is vectorised with pandas
string methods: no Python loop per row. ``mask_pii`` masks the columns a
frame's canonical table marks personal (:func:`creditkit.schema.personal_columns`).

Reports mask personal data by default, so a report can leave the team that
made it. A masked value keeps just enough to tell two customers apart and to
recognise one you know (a surname, a prefix and the last digits), never
enough to contact or identify a stranger. What is kept:

============== =========================== ==================================
kind           example in                  example out
============== =========================== ==================================
person (zh)    张三, 欧阳娜娜               张*, 欧阳** (compound surnames kept)
person (Latin) John Smith                  J*
business (zh)  上海华宇贸易有限公司          上海**贸易有限公司
ID number      110101199003071234          110***********1234
credit code    91310000MA1FL1234X          913***********234X
mobile         +86 138-0013-5678           138****5678
landline       0755-8888 1234 转 801        0755-****1234 (extension dropped)
bank card      6222 0212 3456 7890         622202******7890
e-mail         zhangsan@example.com        z***@example.com
============== =========================== ==================================

Business names keep their region prefix (a province or major city, e.g.
上海, 广东省深圳市) and their suffix (industry words such as 贸易 or 科技
followed by the legal form such as 有限公司): those say little about who the
customer is. The core between them, the trade name, is masked one ``*`` per
character. A business name made only of region and suffix has no core and is
kept as it is. Reports also escape HTML; that is :mod:`creditkit.reporting`'s
job, masking is this module's.

Examples
--------
>>> import pandas as pd
>>> mask_name(pd.Series(["张三", "欧阳娜娜", None])).tolist()
['张*', '欧阳**', nan]
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from pandas.api import types as ptypes

from creditkit._pii_names import (
    BUSINESS_FORMS,
    BUSINESS_PATTERN,
    CJK,
    COMPOUND_SURNAMES,
    PERSON_PATTERN,
    REGION_PREFIXES,
    WS,
)
from creditkit._pii_text import mask_numbers
from creditkit.columns import canonical_column
from creditkit.exceptions import ParameterError, SchemaError
from creditkit.labels import label
from creditkit.schema import TABLES, personal_columns

__all__ = [
    "BUSINESS_FORMS",
    "COMPOUND_SURNAMES",
    "REGION_PREFIXES",
    "mask_card",
    "mask_email",
    "mask_free_text",
    "mask_id_number",
    "mask_name",
    "mask_phone",
    "mask_pii",
    "mask_text",
]



def _check_series(s: object, func: str) -> pd.Series:
    if not isinstance(s, pd.Series):
        raise ParameterError(
            f"{func} expects a pandas Series, got {type(s).__name__}; "
            f"pass one column, e.g. {func}(df['name'])"
        )
    return s


def _text(s: pd.Series) -> pd.Series:
    """``s`` as stripped ``str`` with full-width forms folded (NFKC); missing stays missing."""
    out = s.where(s.notna(), None).astype("str")
    # pyarrow's NFKC: pandas' str.normalize calls unicodedata once per value
    return _from_arrow(pc.utf8_normalize(_arrow(out), "NFKC"), out.index).str.strip()


def _arrow(t: pd.Series) -> pa.Array:
    return pa.chunked_array(pa.array(t.array)).combine_chunks()


def _from_arrow(values: pa.Array, index: pd.Index) -> pd.Series:
    return pd.Series(pd.array(values, dtype="str"), index=index)


def _extract(t: pd.Series, pattern: str) -> pd.DataFrame:
    """``t.str.extract(pattern)`` run by pyarrow's RE2 (pandas runs ``extract`` in Python).

    ``pattern`` must be RE2 (no lookaround) with named groups; a value that does
    not match gives missing values in every group, like pandas.
    """
    found = pc.extract_regex(_arrow(t), pattern)
    names = [found.type.field(i).name for i in range(found.type.num_fields)]
    groups = found.flatten() if len(found) else [pa.array([], pa.string())] * len(names)
    return pd.DataFrame({n: _from_arrow(g, t.index) for n, g in zip(names, groups, strict=True)},
                        index=t.index)


def _stars(s: pd.Series) -> pd.Series:
    """One ``*`` per character (a regex replace of ``.`` is ten times slower)."""
    return _from_arrow(pc.binary_repeat("*", pc.utf8_length(_arrow(s))), s.index)


def _distinct(s: pd.Series) -> tuple[np.ndarray, pd.Series]:
    """Codes and distinct present values: each name or number is masked once."""
    if ptypes.is_float_dtype(s):
        # a phone read as 13800135678.0 is the number 13800135678
        whole = s.notna() & (s == np.round(s))
        s = s.astype(object).where(~whole, s.where(whole, 0).astype("int64").astype(object))
    codes, uniques = pd.factorize(s, use_na_sentinel=True)
    return codes, pd.Series(np.asarray(uniques, dtype=object), dtype=object)


def _finish(masked: pd.Series, original: pd.Series, codes: np.ndarray) -> pd.Series:
    """Broadcast masked distinct values back; missing values come back as they came."""
    values = np.append(masked.to_numpy(object, na_value=None), None)[codes]
    out = pd.Series(values, index=original.index, name=original.name, dtype="str")
    if ptypes.is_object_dtype(original):
        return out.astype(object).where(original.notna(), original)
    return out


_SHARED_DOC = """    Returns
    -------
    Series
        Masked values, same index and name; missing values preserved.

    Raises
    ------
    ParameterError
        When ``s`` is not a Series.

"""


def _masker(mask_distinct: Callable[[pd.Series], pd.Series]) -> Callable[[pd.Series], pd.Series]:
    """Make a public Series masker from a function of the distinct values as stripped text.

    The wrapper checks the input, masks each distinct value once and broadcasts
    back, keeping index, name and missing values; it adds the Returns and Raises
    sections every masker shares to the docstring.
    """

    @functools.wraps(mask_distinct)
    def masker(s: pd.Series) -> pd.Series:
        s = _check_series(s, mask_distinct.__name__)
        codes, u = _distinct(s)
        return _finish(mask_distinct(_text(u)), s, codes)

    doc = mask_distinct.__doc__ or ""
    masker.__doc__ = doc.replace("    Examples\n", _SHARED_DOC + "    Examples\n", 1)
    return masker


@_masker
def mask_name(t: pd.Series) -> pd.Series:
    """Mask person and business names.

    Chinese personal names keep the surname (a compound surname from
    ``COMPOUND_SURNAMES`` whole) and mask each other character; a one-character
    name becomes ``*``. Latin names keep the first letter followed by one
    ``*``. Chinese business names (ending in a legal form of
    ``BUSINESS_FORMS``) keep their region prefix and suffix and mask the core.

    Parameters
    ----------
    s : Series
        Names; full-width characters and outer spaces are tolerated.

    Examples
    --------
    >>> import pandas as pd
    >>> mask_name(pd.Series(["张三", "欧阳娜娜", "John Smith", "上海华宇贸易有限公司"])).tolist()
    ['张*', '欧阳**', 'J*', '上海**贸易有限公司']
    """
    t = t.str.replace(f"[{WS}]+", " ", regex=True)
    between = f"([{CJK}]) ([{CJK}])"  # 王 伟 is 王伟; one pass joins every other gap
    while t.str.contains(f"[{CJK}] [{CJK}]", regex=True).any():
        t = t.str.replace(between, r"\1\2", regex=True)
    biz = _extract(t, BUSINESS_PATTERN)
    is_biz = biz["suffix"].notna() & t.str.contains(f"[{CJK}]", regex=True)
    person = _extract(t, PERSON_PATTERN)
    is_cjk_person = t.str.fullmatch(f"[{CJK}·•]+").fillna(False).astype(bool) & ~is_biz
    cjk = person["keep"] + person["rest"].str.replace(r"[^·•]", "*", regex=True)
    cjk = cjk.where(t.str.len() > 1, "*")
    out = t.str.slice(0, 1) + "*"  # Latin and anything else: first letter + *
    out = out.where(~is_cjk_person, cjk)
    out = out.where(~is_biz, biz["region"] + _stars(biz["core"]) + biz["suffix"])
    return out.where(t.str.len() > 0, t)


@_masker
def mask_id_number(t: pd.Series) -> pd.Series:
    """Mask resident ID numbers and unified social credit codes: first 3 and last 4 kept.

    Spaces and dashes are removed first; a value of fewer than 8 characters is
    masked entirely.

    Parameters
    ----------
    s : Series
        ID numbers (身份证号) or credit codes (统一社会信用代码).

    Examples
    --------
    >>> import pandas as pd
    >>> mask_id_number(pd.Series(["110101199003071234", "91310000MA1FL1234X"])).tolist()
    ['110***********1234', '913***********234X']
    """
    t = t.str.replace(f"[{WS}-]", "", regex=True).str.upper()
    out = t.str.slice(0, 3) + _stars(t.str.slice(3, -4)) + t.str.slice(-4)
    return out.where(t.str.len() >= 8, _stars(t))


@_masker
def mask_phone(t: pd.Series) -> pd.Series:
    """Mask phone numbers: mobiles ``138****5678``, landlines ``010-****5678``.

    ``+86`` / ``0086`` prefixes, spaces and dashes are removed; extensions
    (``转 801``, ``ext 801``, ``#801``) are dropped. A mainland landline keeps
    its area code (3 digits for 010 and 02x, else 4) and the last 4 digits.
    Any other number keeps its last 4 digits.

    Parameters
    ----------
    s : Series
        Phone numbers as text (numbers stored as integers also work).

    Examples
    --------
    >>> import pandas as pd
    >>> mask_phone(pd.Series(["13800135678", "+86 138-0013-5678", "0755-88881234"])).tolist()
    ['138****5678', '138****5678', '0755-****1234']
    """
    t = t.str.replace(f"(?i)[{WS}]*(?:转|分机|ext\\.?|x|#)[{WS}]*[0-9]{{1,6}}$", "", regex=True)
    d = t.str.replace(r"[^0-9+]", "", regex=True)
    d = d.str.replace(r"^(?:\+86|0086)", "", regex=True)
    d = d.str.replace(r"^86(1[0-9]{10})$", r"\1", regex=True).str.replace("+", "")
    mobile = d.str.fullmatch(r"1[0-9]{10}").fillna(False).astype(bool)
    land = _extract(d, r"^(?P<area>0[12][0-9]|0[3-9][0-9]{2})(?P<local>[0-9]{7,8})$")
    is_land = land["area"].notna()
    keep4 = _stars(d.str.slice(0, -4)) + d.str.slice(-4)
    out = keep4.where(d.str.len() > 4, _stars(d))
    out = out.where(~is_land, land["area"] + "-" + _stars(land["local"].str.slice(0, -4))
                    + land["local"].str.slice(-4))
    return out.where(~mobile, d.str.slice(0, 3) + "****" + d.str.slice(-4))


@_masker
def mask_card(t: pd.Series) -> pd.Series:
    """Mask bank card numbers: first 6 and last 4 digits kept.

    Spaces and dashes are removed first. A number shorter than 12 digits keeps
    only its last 4; one of 4 characters or fewer is masked entirely.

    Parameters
    ----------
    s : Series
        Card numbers.

    Examples
    --------
    >>> import pandas as pd
    >>> mask_card(pd.Series(["6222 0212 3456 7890", "1234"])).tolist()
    ['622202******7890', '****']
    """
    d = t.str.replace(f"[{WS}-]", "", regex=True)
    out = _stars(d.str.slice(0, -4)) + d.str.slice(-4)
    out = out.where(d.str.len() > 4, _stars(d))
    long = d.str.fullmatch(r"[0-9]{12,19}").fillna(False).astype(bool)
    return out.where(~long, d.str.slice(0, 6) + _stars(d.str.slice(6, -4)) + d.str.slice(-4))


@_masker
def mask_email(t: pd.Series) -> pd.Series:
    """Mask e-mail addresses: first character of the local part and the domain kept.

    A value without ``@`` keeps its first character followed by ``*``.

    Parameters
    ----------
    s : Series
        E-mail addresses.

    Examples
    --------
    >>> import pandas as pd
    >>> mask_email(pd.Series(["zhangsan@example.com", None])).tolist()
    ['z***@example.com', nan]
    """
    parts = _extract(t, r"^(?P<first>[^@])[^@]*(?P<domain>@.+)$")
    return (t.str.slice(0, 1) + "*").where(parts["domain"].isna(),
                                           parts["first"] + "***" + parts["domain"])


@_masker
def mask_text(t: pd.Series) -> pd.Series:
    """Mask free text entirely (``***``), e.g. addresses or notes.

    Parameters
    ----------
    s : Series
        Any text.

    Examples
    --------
    >>> import pandas as pd
    >>> mask_text(pd.Series(["北京市朝阳区建国路1号", None])).tolist()
    ['***', nan]
    """
    return t.where(t.isna(), "***")


@_masker
def mask_free_text(t: pd.Series) -> pd.Series:
    """Mask ID numbers, mobiles and card numbers written inside free text; keep the rest.

    An 18-character ID number must carry a valid check character; a card
    number (13-19 digits) must pass the Luhn check or follow 卡号 / "card no".
    Amounts, dates and invoice numbers are left as they are.

    Parameters
    ----------
    s : Series
        References, notes, descriptions.

    Examples
    --------
    >>> import pandas as pd
    >>> mask_free_text(pd.Series(["还款 身份证11010519491231002X 手机13800138000"])).tolist()
    ['还款 身份证110***********002X 手机138****8000']
    """
    return mask_numbers(t)


_MASKERS: dict[str, Callable[[pd.Series], pd.Series]] = {
    "name": mask_name,
    "id_number": mask_id_number,
    "phone": mask_phone,
    "card": mask_card,
    "email": mask_email,
    "text": mask_text,
    "free_text": mask_free_text,
}
#: Canonical columns of free text (references, notes): numbers inside them are masked.
_FREE_TEXT = ("reference",)


def _canonical_kinds() -> dict[str, str]:
    """Personal column names of every table, their zh/en labels, and a few common extras."""
    kinds: dict[str, str] = {}
    for t in TABLES:
        kinds.update(personal_columns(t))
    kinds.update({"card_number": "card", "card_no": "card", "email": "email",
                  "mobile": "phone", "credit_code": "id_number", "address": "text"})
    for key, kind in list(kinds.items()):
        for lang in ("zh", "en"):
            kinds.setdefault(label(key, lang), kind)
    return kinds


def _kind(column: object, table: str | None, known: Mapping[str, str]) -> str | None:
    """How to mask ``column``: by its own name, else by what its header means (any spelling)."""
    if column in known:
        return known[column]
    extra = _canonical_kinds()
    canon = (canonical_column(column, table=table) if table is not None else None) \
        or canonical_column(column)
    if canon is None:
        return None
    if canon in _FREE_TEXT:
        return "free_text"
    return known.get(canon) or extra.get(canon)


def mask_pii(
    df: pd.DataFrame,
    table: str | None = None,
    columns: Mapping[str, str] | Sequence[str] | None = None,
) -> pd.DataFrame:
    """Return a copy of ``df`` with its personal columns masked.

    Parameters
    ----------
    df : DataFrame
        Any frame; it is not modified.
    table : str, optional
        Canonical table name (``"customers"``, ``"payments"``...): the columns
        :func:`creditkit.schema.personal_columns` marks personal are masked
        when present. Without it, columns are recognised by their canonical
        names (``name``, ``payer_name``, ``id_number``, ``phone``, ``email``,
        ``card_number``, ``address``...) or their zh/en labels (客户名称...).
        Either way any export spelling of a personal column is recognised
        through :func:`creditkit.columns.canonical_column` (姓名, 身份证号,
        手机号, 电话, 银行卡号, 付款人...), and free-text columns (reference,
        备注, note, description...) have the ID numbers, mobiles and card
        numbers written inside them masked (:func:`mask_free_text`).
    columns : mapping or list of str, optional
        Mask exactly these columns instead: a mapping ``{column: kind}`` with
        kind one of ``name``, ``id_number``, ``phone``, ``card``, ``email``,
        ``text``; or a list of names whose kind is known from ``table`` or the
        canonical names.

    Returns
    -------
    DataFrame
        A new frame; non-personal columns are unchanged.

    Raises
    ------
    ParameterError
        When ``df`` is not a DataFrame, a kind is unknown, or a listed column's
        kind cannot be recognised.
    SchemaError
        When ``table`` is unknown or a listed column is missing from ``df``.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"customer_id": ["C1"], "name": ["张三"], "phone": ["13800135678"]})
    >>> mask_pii(df, "customers").iloc[0].tolist()
    ['C1', '张*', '138****5678']
    """
    if not isinstance(df, pd.DataFrame):
        raise ParameterError(
            f"mask_pii expects a pandas DataFrame, got {type(df).__name__}; "
            "use mask_name/mask_phone/... for a single Series"
        )
    known = personal_columns(table) if table is not None else _canonical_kinds()
    if columns is None:
        plan = {c: k for c in df.columns if (k := _kind(c, table, known)) is not None}
    else:
        if isinstance(columns, str):
            columns = [columns]
        if isinstance(columns, Mapping):
            plan = dict(columns)
        else:
            kinds = {c: _kind(c, table, known) for c in columns}
            unknown = [c for c, k in kinds.items() if k is None]
            if unknown:
                raise ParameterError(
                    f"cannot tell how to mask column(s) {unknown}; got no kind for them; "
                    f"pass columns={{{unknown[0]!r}: 'name'}} with a kind from {sorted(_MASKERS)}"
                )
            plan = {c: k for c, k in kinds.items() if k is not None}
        missing = [c for c in plan if c not in df.columns]
        if missing:
            raise SchemaError(
                f"column(s) {missing} to mask are not in the frame; got "
                f"{list(map(str, df.columns))}; pass columns= naming existing columns"
            )
    bad = {c: k for c, k in plan.items() if k not in _MASKERS}
    if bad:
        raise ParameterError(
            f"unknown masking kind(s) {bad}; expected one of {sorted(_MASKERS)}"
        )
    out = df.copy()
    for col, kind in plan.items():
        out[col] = _MASKERS[kind](df[col])
    return out
