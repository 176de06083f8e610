"""Normalisers for names, phones, channels, currencies, kinds and amounts.

Each takes a Series of raw cells and returns a frame (same index) with the
normalised value and a ``reason`` column (``<NA>`` when fine or blank).
They work on distinct values, so they are vectorised over rows. Dates are in
:mod:`creditkit.cleaning.dates`, ID numbers and credit codes in
:mod:`creditkit.cleaning.identifiers`.

Examples
--------
>>> import pandas as pd
>>> normalize_channels(pd.Series(["支付宝", "WeChat", "网银", "其他"]))["channel"].tolist()
['alipay', 'wechat', 'bank_transfer', nan]
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from creditkit import money
from creditkit.cleaning.text import as_text, on_uniques
from creditkit.columns import fold_traditional
from creditkit.exceptions import ParameterError

__all__ = [
    "CHANNEL_ALIASES",
    "CURRENCY_ALIASES",
    "KIND_ALIASES",
    "MAX_AMOUNT_MINOR",
    "normalize_channels",
    "normalize_currencies",
    "normalize_kinds",
    "normalize_names",
    "parse_amounts_text",
    "parse_phones",
]

#: Lower-cased, space-free spellings of payment channels -> canonical channel.
CHANNEL_ALIASES: dict[str, str] = {
    **dict.fromkeys(["支付宝", "alipay", "支付宝支付", "蚂蚁花呗", "花呗"], "alipay"),
    **dict.fromkeys(["微信", "微信支付", "wechat", "wechatpay", "wxpay", "weixin", "财付通",
                     "tenpay"], "wechat"),
    **dict.fromkeys(["银行转账", "对公转账", "网银", "网银转账", "转账", "电汇", "banktransfer",
                     "bank_transfer", "transfer", "wire", "wiretransfer", "bank"],
                    "bank_transfer"),
    **dict.fromkeys(["刷卡", "银行卡", "信用卡", "借记卡", "card", "pos", "pos刷卡", "pos机",
                     "银联", "unionpay",
                     "creditcard", "debitcard"], "card"),
    **dict.fromkeys(["自动扣款", "代扣", "自动代扣", "autodebit", "auto_debit", "directdebit",
                     "auto-debit"], "auto_debit"),
    **dict.fromkeys(["现金", "cash"], "cash"),
}

#: Spellings of currencies (signs, Chinese names, ISO codes) -> ISO 4217 code.
CURRENCY_ALIASES: dict[str, str] = {
    **dict.fromkeys(["¥", "￥", "元", "rmb", "人民币", "cny", "rmb¥", "人民币元", "cn¥"], "CNY"),
    **dict.fromkeys(["us$", "$", "美元", "usd", "美金", "u.s.$"], "USD"),
    **dict.fromkeys(["hk$", "港币", "港元", "hkd"], "HKD"),
    **dict.fromkeys(["€", "欧元", "eur"], "EUR"),
    **dict.fromkeys(["£", "英镑", "gbp"], "GBP"),
    **dict.fromkeys(["日元", "円", "jpy"], "JPY"),
    **dict.fromkeys(["新加坡元", "sgd", "s$"], "SGD"),
    **dict.fromkeys(["澳门元", "mop"], "MOP"),
    **dict.fromkeys(["新台币", "twd", "nt$"], "TWD"),
    **dict.fromkeys(["韩元", "krw", "₩"], "KRW"),
    **dict.fromkeys(["澳元", "aud", "a$"], "AUD"),
    **dict.fromkeys(["加元", "cad", "c$"], "CAD"),
    **dict.fromkeys(["瑞士法郎", "chf"], "CHF"),
}

#: Spellings of ``kind`` per table -> canonical value.
KIND_ALIASES: dict[str, dict[str, str]] = {
    "customers": {
        **dict.fromkeys(["consumer", "个人", "person", "personal", "individual", "自然人",
                         "c"], "consumer"),
        **dict.fromkeys(["business", "企业", "公司", "company", "corporate", "对公", "法人",
                         "b", "enterprise"], "business"),
    },
    "bills": {
        **dict.fromkeys(["invoice", "发票", "账单", "订单", "order", "bill"], "invoice"),
        **dict.fromkeys(["instalment", "installment", "分期", "期供"], "instalment"),
        **dict.fromkeys(["fee", "费用", "手续费", "滞纳金", "罚息", "latefee"], "fee"),
    },
    "payments": {
        **dict.fromkeys(["payment", "回款", "还款", "收款", "付款", "repayment"], "payment"),
        **dict.fromkeys(["credit_note", "creditnote", "红字", "红冲", "红字冲销", "折让",
                         "退货"], "credit_note"),
        # 核销 alone is not here: in receivables it means matching a payment to bills
        # (the glossary's allocation), so a bare 核销 row waits for a person
        **dict.fromkeys(["write_off", "writeoff", "核销坏账", "坏账核销", "坏账"],
                        "write_off"),
    },
}

def _key(s: pd.Series) -> pd.Series:
    """Lower-case, NFKC, simplified script, without spaces, dashes or underscores: the key."""
    return (s.str.normalize("NFKC").str.lower().map(fold_traditional)
            .str.replace(r"[\s\-_·.]+", "", regex=True))


def _lookup(s: pd.Series, table: dict[str, str], col: str) -> pd.DataFrame:
    keys = {re.sub(r"[\s\-_·.]+", "", k): v for k, v in table.items()}
    code = "unknown_" + col

    def fn(u: pd.Series) -> pd.DataFrame:
        # u holds non-blank texts only: a text that maps to nothing is unknown
        v = _key(u).map(keys).astype("str")
        return pd.DataFrame({col: v, "reason": pd.Series(np.where(v.isna(), code, None),
                                                         index=u.index, dtype="str")})

    return on_uniques(s, fn)


def normalize_channels(s: pd.Series) -> pd.DataFrame:
    """Map channel spellings to canonical channels (``alipay``, ``wechat``, ``card``...).

    Unknown spellings get reason ``unknown_channel``; blanks stay blank.

    Examples
    --------
    >>> import pandas as pd
    >>> out = normalize_channels(pd.Series(["ALIPAY", "微信支付", "POS", "代扣", "x"]))
    >>> out["channel"].tolist(), out["reason"].tolist()[-1]
    (['alipay', 'wechat', 'card', 'auto_debit', nan], 'unknown_channel')
    """
    return _lookup(s, CHANNEL_ALIASES, "channel")


def normalize_currencies(s: pd.Series) -> pd.DataFrame:
    """Map currency signs and names (¥, 元, RMB, US$, 美元…) to ISO 4217 codes.

    Examples
    --------
    >>> import pandas as pd
    >>> normalize_currencies(pd.Series(["￥", "人民币", "US$", "eur"]))["currency"].tolist()
    ['CNY', 'CNY', 'USD', 'EUR']
    """
    out = _lookup(s, CURRENCY_ALIASES, "currency")
    return out


def normalize_kinds(s: pd.Series, table: str) -> pd.DataFrame:
    """Map ``kind`` spellings (个人/企业, 分期, 红字…) of ``table`` to canonical values.

    Raises
    ------
    ParameterError
        When ``table`` is not ``customers``, ``bills`` or ``payments``.

    Examples
    --------
    >>> import pandas as pd
    >>> normalize_kinds(pd.Series(["个人", "企业"]), "customers")["kind"].tolist()
    ['consumer', 'business']
    """
    if table not in KIND_ALIASES:
        raise ParameterError(
            f"normalize_kinds: table must be one of {sorted(KIND_ALIASES)}, got {table!r}")
    return _lookup(s, KIND_ALIASES[table], "kind")


_CJK = r"[\u3400-\u9fff\uf900-\ufaff]"


def normalize_names(s: pd.Series) -> pd.Series:
    """Trim, full-width to half-width, collapse spaces, title-case Latin names of 2+ words.

    Spaces between two Chinese characters are removed (``张 三`` is ``张三``);
    blank cells and ``#N/A`` become ``<NA>``.

    Examples
    --------
    >>> import pandas as pd
    >>> raw = pd.Series([" 张　三 ", "ＡＢＣ（上海）有限公司", "john  SMITH", "#N/A"])
    >>> normalize_names(raw).tolist()
    ['张三', 'ABC(上海)有限公司', 'John Smith', nan]
    """
    def fn(u: pd.Series) -> pd.DataFrame:
        v = u.str.normalize("NFKC").str.replace(r"\s+", " ", regex=True).str.strip()
        v = v.str.replace(rf"(?<={_CJK}) (?={_CJK})", "", regex=True)
        # people's names written in Latin letters get one case; a single word is left
        # alone, since it is usually an acronym or brand (ABC, IBM) that title case would spoil
        latin = v.str.fullmatch(r"[A-Za-z.,'&()\-]+(?: [A-Za-z.,'&()\-]+)+")
        v = v.where(~latin, v.str.title())
        return pd.DataFrame({"name": v})

    return on_uniques(s, fn)["name"].rename(s.name)


def parse_phones(s: pd.Series) -> pd.DataFrame:
    """Normalise mainland mobiles to 11 digits and landlines to ``0AA-NNNNNNNN``.

    ``+86``, ``0086`` and ``86`` prefixes, spaces, dashes, dots and brackets
    are dropped; after a country code a landline's area code comes without
    its trunk ``0`` (``+86 10 6234 5678``), which is put back. Mobiles start
    13–19. Landlines need an area code (010, 02x, or 4 digits) and a 7–8 digit
    number; 400/800 service numbers are kept.
    Anything else gets reason ``invalid_phone``.

    Returns
    -------
    DataFrame
        ``phone`` (normalised text), ``phone_kind`` (``mobile``, ``landline``,
        ``service``) and ``reason``.

    Examples
    --------
    >>> import pandas as pd
    >>> out = parse_phones(pd.Series(["+86 138-0013-8000", "(021)62345678", "12345"]))
    >>> out["phone"].tolist(), out["reason"].tolist()
    (['13800138000', '021-62345678', nan], [nan, nan, 'invalid_phone'])
    """
    def fn(u: pd.Series) -> pd.DataFrame:
        d = u.str.normalize("NFKC").str.replace(r"[\s\-().·/]", "", regex=True)
        # +86 / 0086 drop a landline's trunk 0 (+86 10 6234 5678 is 010-62345678): put it back
        d = d.str.replace(r"^(?:\+86|0086|\+0086)(?=(?:10|2\d|[3-9]\d{2})[2-9])", "0",
                          regex=True)
        d = d.str.replace(r"^(?:\+86|0086|\+0086)", "", regex=True)
        d = d.str.replace(r"^86(?=1[3-9]\d{9}$)", "", regex=True)
        d = d.str.replace(r"^86(?=(?:10|2\d)[2-9]\d{7}$|[3-9]\d{2}[2-9]\d{6,7}$)", "0",
                          regex=True)
        mobile = d.str.fullmatch(r"1[3-9]\d{9}")
        m3 = d.str.extract(r"^(010|02\d)([2-9]\d{7})$")
        m4 = d.str.extract(r"^(0[3-9]\d{2})([2-9]\d{6,7})$")
        serv = d.str.extract(r"^([48]00)(\d{7})$")
        phone = pd.Series(None, index=u.index, dtype="str")
        kind = pd.Series(None, index=u.index, dtype="str")
        phone = phone.where(~mobile, d)
        kind = kind.where(~mobile, "mobile")
        for m, k in ((m3, "landline"), (m4, "landline"), (serv, "service")):
            hit = m[0].notna() & phone.isna()
            phone = phone.where(~hit, m[0] + "-" + m[1])
            kind = kind.where(~hit, k)
        reason = pd.Series(np.where(phone.isna(), "invalid_phone", None), index=u.index,
                           dtype="str")
        return pd.DataFrame({"phone": phone, "phone_kind": kind, "reason": reason})

    return on_uniques(s, fn)


_MARKER_PRE = r"^[(\s+-]*(US\$|HK\$|NT\$|S\$|A\$|C\$|CN¥|JP¥|RMB¥?|[A-Z]{3}(?![A-Z])|[$¥€£₩])"
_MARKER_POST = (r"(人民币元|人民币|美元|美金|港币|港元|欧元|英镑|日元|韩元|円|元"
                r"|(?<![A-Z])[A-Z]{3})[\s)-]*$")


def _sign_currency(u: pd.Series) -> pd.Series:
    """ISO code named by a currency sign or word in an amount cell, else <NA>."""
    out = pd.Series(None, index=u.index, dtype="str")
    # plain numbers (the bulk of any export) name no currency: skip the regexes for them
    marked = ~u.str.fullmatch(r"[\d.,\s()'+-]*").fillna(True).astype(bool)
    if not marked.any():
        return out
    v = u[marked].str.normalize("NFKC").str.upper().str.strip()
    pre = v.str.extract(_MARKER_PRE)[0]
    post = v.str.extract(_MARKER_POST)[0]
    pre_c = _key(pre.fillna("")).map(CURRENCY_ALIASES)
    post_c = _key(post.fillna("")).map(CURRENCY_ALIASES)
    # an unknown three-letter code is left to money.py to refuse
    pre_c = pre_c.where(pre.notna(), None)
    post_c = post_c.where(post.notna(), None)
    out[marked] = pre_c.fillna(post_c).astype("str")
    return out


_MINOR_TEXT = re.compile(r"[+-]?[0-9]{1,19}")
#: Largest amount cleaning accepts, in minor units (9e18: 90 quadrillion yuan). The last
#: sliver of int64 (up to 9.22e18) is where overflowed or sentinel values of broken
#: exports land (int64 max, near it), never real money: such rows are quarantined.
MAX_AMOUNT_MINOR = 9 * 10**18


def _read_minor_units(part: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Integer minor units written in ASCII digits: int64 values and a readable mask.

    Text beyond int64 (or with decimals, or other scripts' digits) is unreadable.
    """
    vals = np.zeros(len(part), dtype=np.int64)
    ok = np.zeros(len(part), dtype=bool)
    for i, t in enumerate(part.tolist()):
        if isinstance(t, str) and _MINOR_TEXT.fullmatch(t):
            v = int(t)
            if abs(v) <= MAX_AMOUNT_MINOR:
                vals[i], ok[i] = v, True
    return vals, ok


def parse_amounts_text(
    s: pd.Series,
    *,
    currency: pd.Series | None = None,
    default_currency: str = "CNY",
    decimal: str = ".",
    minor: bool = False,
) -> pd.DataFrame:
    """Read amount cells (``¥1,234.50``, ``1.5万元``, ``(12.00)``, ``USD 9``) as minor units.

    The row's currency is the ``currency`` column when it names one, else the
    sign or word in the cell (¥/￥/元 CNY, US$/$ USD...), else
    ``default_currency``. Digits are read by :func:`creditkit.money.parse_amounts`
    (groups of three, accounting negatives, 万, no silent rounding of extra
    decimals). Amounts beyond :data:`MAX_AMOUNT_MINOR` are unreadable (an
    overflowed or sentinel value, not money). A cell whose sign contradicts the currency column gets
    ``currency_conflict``; an unknown currency ``unknown_currency``; anything
    else unreadable ``invalid_amount``.

    Parameters
    ----------
    s : Series
        Raw amount cells (text, or numbers from Excel).
    currency : Series, optional
        Raw currency cells of the same rows.
    default_currency : str, default "CNY"
        Currency of rows that name none.
    decimal : {".", ","}, default "."
        Decimal mark.
    minor : bool, default False
        Cells already hold integer minor units (columns named ``*_minor``).

    Returns
    -------
    DataFrame
        ``amount_minor`` (Int64), ``currency`` (ISO code) and ``reason``.

    Raises
    ------
    ParameterError
        When ``decimal`` is not ``"."`` or ``","``.

    Examples
    --------
    >>> import pandas as pd
    >>> out = parse_amounts_text(pd.Series(["¥1,234.50", "(12.00)", "US$3", "abc"]))
    >>> out["amount_minor"].tolist(), out["currency"].tolist()[:3]
    ([123450, -1200, 300, <NA>], ['CNY', 'CNY', 'USD'])
    """
    if decimal not in (".", ","):
        raise ParameterError(f"decimal must be '.' or ',', got {decimal!r}")
    text = as_text(s)
    blank = text.isna()
    if minor:
        sign_cur = pd.Series(None, index=s.index, dtype="str")
    else:
        sign_cur = on_uniques(s, lambda u: pd.DataFrame({"c": _sign_currency(u)}))["c"]
    if currency is not None:
        col = normalize_currencies(currency.reindex(s.index))
        col_cur, col_bad = col["currency"], col["reason"].notna()
    else:
        col_cur = pd.Series(None, index=s.index, dtype="str")
        col_bad = pd.Series(False, index=s.index)
    cur = col_cur.fillna(sign_cur).fillna(default_currency).astype("str")

    # parse each distinct (currency, text) once: a million bills hold a few ten thousand amounts
    key = (cur + "\x1f" + text).where(~blank)
    codes, uniq = pd.factorize(key, use_na_sentinel=True)
    parts = pd.Series(np.asarray(uniq, dtype=object), dtype="str").str.split(
        "\x1f", n=1, expand=True)
    # int64 values and a readable mask, never a float64 round trip (2**53 + 1 stays exact)
    u_vals = np.zeros(len(parts) + 1, dtype=np.int64)
    u_ok = np.zeros(len(parts) + 1, dtype=bool)
    if len(parts):
        for code in pd.unique(parts[0]):  # one pass per currency, not per row
            rows = np.flatnonzero((parts[0] == code).to_numpy())
            part = parts.loc[rows, 1]
            if minor:
                vals, ok = _read_minor_units(part)
            else:
                parsed = money.parse_amounts(part, str(code), decimal=decimal, errors="coerce")
                ok = parsed.notna().to_numpy()
                vals = parsed.to_numpy(dtype=np.int64, na_value=0)
            u_vals[rows], u_ok[rows] = vals, ok & (np.abs(vals) <= MAX_AMOUNT_MINOR)
    take = np.where(codes < 0, len(parts), codes)
    amount = pd.Series(pd.arrays.IntegerArray(u_vals[take], ~u_ok[take]))
    amount.index = s.index
    bad = ~blank & amount.isna()
    conflict = bad & sign_cur.notna() & col_cur.notna() & (sign_cur != col_cur)
    reason = pd.Series(None, index=s.index, dtype="str")
    reason = reason.where(~bad, "invalid_amount")
    reason = reason.where(~conflict, "currency_conflict")
    reason = reason.where(~(col_bad & ~blank), "unknown_currency")
    return pd.DataFrame({"amount_minor": amount, "currency": cur, "reason": reason})
