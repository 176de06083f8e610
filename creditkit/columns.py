"""Column headers of exports -> creditkit column names: the one synonym table.

Reading a file (:func:`creditkit.io.read_table` with ``table=``) and cleaning
a frame (:func:`creditkit.cleaning.clean_bills` and its siblings) recognise
headers through this module, so they always agree on what a header means.
Masking personal data can ask it too (:func:`canonical_column`).

How a header is matched:

1. :func:`normalise_header` reduces it: Unicode NFKC (full-width letters and
   brackets become half-width), byte-order mark and surrounding spaces
   dropped, lower case, traditional Chinese characters folded to simplified
   by :func:`fold_traditional` (``賬單號`` reads as ``账单号``), a unit in
   brackets dropped (``金额(元)`` reads as ``金额``), then spaces, ``_ - . : /
   \\ #`` and stray brackets removed (``Invoice_Date`` and ``invoice date`` are
   both ``invoicedate``).
2. The reduced text is looked up among the reduced spellings of every
   column: first the canonical names themselves (``customer_id``), then the
   export spellings of :data:`HEADER_SYNONYMS`, then the zh/en labels of the
   column in :mod:`creditkit.labels`.
3. A spelling may mean several columns (``流水号`` is a transaction id in a
   transactions file and a payment id in a payments file): the first one the
   table has wins, in that order.

Raw money headers map to the name without ``_minor`` (``金额`` -> ``amount``,
``授信额度`` -> ``credit_limit``): they still hold text such as ``¥1,200.50``,
which cleaning turns into ``amount_minor``. The canonical ``*_minor`` names
keep their meaning (integer minor units).

Examples
--------
>>> canonical_column("賬單號"), canonical_column("金額(元)"), canonical_column("Grand Total")
('bill_id', 'amount', 'amount')
>>> canonical_column("流水号", table="payments"), canonical_column("流水号", table="transactions")
('payment_id', 'txn_id')
>>> canonical_column("no such header") is None
True
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Mapping

import pandas as pd

from creditkit.exceptions import DataReadError, ParameterError
from creditkit.schema import TABLES

__all__ = [
    "HEADER_SYNONYMS",
    "canonical_column",
    "check_column_map",
    "fold_traditional",
    "header_columns",
    "map_headers",
    "normalise_header",
    "repeated_headers",
    "table_headers",
]

#: Export spellings of each creditkit column: ERP/finance exports in simplified Chinese and
#: English, bank statements, payment platforms, and CRM exports (纷享销客 display names,
#: Zoho CRM / Zoho Books field labels and API names such as ``Account_Number``), and the
#: Taiwan / Hong Kong words for a column (身分證字號, 統一編號, 行動電話). Traditional
#: characters need no entry: :func:`normalise_header` folds every one to simplified.
#: A spelling listed under several columns means the first one a table has.
HEADER_SYNONYMS: dict[str, tuple[str, ...]] = {
    "customer_id": ("客户编号", "客户号", "客户id", "客户ID", "客户代码", "客户编码", "用户id",
                    "用户编号", "借款人编号", "会员号", "客户账号", "customerid", "custid",
                    "cust_id", "customer", "customer no", "customer number", "customer code",
                    "client id", "account id", "account number", "account no"),
    "name": ("客户名称", "客户名", "客户姓名", "姓名", "名称", "公司名称", "企业名称", "户名",
             "customer name", "name", "client name", "full name", "account name",
             "company name"),
    "kind": ("客户类型", "账单类型", "款项类型", "回款类型", "类型", "类别", "kind", "type",
             "customer type", "account type"),
    "id_number": ("身份证", "身份证号", "身份证号码", "证件号", "证件号码", "证件编号",
                  "身分证", "身分证号", "身分证字号", "身分证号码", "统一编号",
                  "统一社会信用代码", "信用代码", "idnumber", "idno", "idcard", "id no",
                  "id number", "id card", "credit code"),
    "phone": ("手机号", "手机号码", "手机", "电话", "联系电话", "联系方式",
              "行动电话", "手提电话", "流动电话", "联络电话", "mobile", "phone",
              "tel", "telephone", "phone number", "mobile phone"),
    "region": ("地区", "区域", "省份", "所在地区", "城市", "所在地", "省", "region", "province",
               "city", "area", "billing state", "billing city"),
    "industry": ("行业", "所属行业", "industry", "sector"),
    "open_date": ("开户日期", "开户时间", "注册日期", "建档日期", "opendate", "opened",
                  "open date", "start date", "registrationdate", "created time"),
    "credit_limit": ("授信额度", "信用额度", "额度", "creditlimit", "credit limit", "limit"),
    "currency": ("币种", "币别", "货币", "currency", "ccy", "curr", "currency code"),
    "external_rating": ("外部评级", "信用评级", "评级", "externalrating", "rating"),
    "application_id": ("申请编号", "申请号", "申请id", "申请单号", "applicationid", "appid"),
    "application_date": ("申请日期", "申请时间", "applicationdate", "appdate"),
    "target": ("坏客户标记", "违约标记", "是否违约", "target", "bad", "default"),
    "txn_id": ("交易编号", "交易号", "交易流水号", "流水号", "txnid", "transactionid"),
    "txn_date": ("交易日期", "交易时间", "消费日期", "txndate", "transactiondate"),
    "amount": ("金额", "应收金额", "账单金额", "交易金额", "消费金额", "回款金额", "付款金额",
               "收款金额", "还款金额", "实收金额", "实还金额", "发票金额", "到账金额", "核销金额",
               "开票金额", "订单金额", "金额元", "amount", "amt", "value", "total",
               "amount due", "paid amount", "grand total", "amount received"),
    "category": ("消费类别", "类别", "品类", "商品类别", "category"),
    "channel": ("渠道", "支付方式", "付款方式", "支付渠道", "还款方式", "收款方式", "还款渠道",
                "回款方式", "channel", "paymentmethod", "payment method", "method",
                "payment mode", "mode"),
    "bill_id": ("账单编号", "账单号", "账单号码", "账单id", "单号", "单据号", "billid", "billno",
                "bill no", "bill number", "bill"),
    "invoice_id": ("发票号", "发票编号", "发票号码", "订单号", "订单编号", "销售订单编号",
                   "发票/订单号", "合同号", "invoiceid", "invoiceno", "invoicenumber", "invoice",
                   "invoice no", "invoice number", "orderid", "orderno", "order id",
                   "order no", "sales order"),
    "issue_date": ("出账日期", "开票日期", "账单日", "账单日期", "单据日期", "发票日期",
                   "下单日期", "issuedate", "invoicedate", "invoice date", "billdate",
                   "bill date", "issued"),
    "due_date": ("到期日", "到期日期", "应还日期", "还款日", "最后还款日", "应收日期", "duedate",
                 "due date", "due", "due on"),
    "payment_id": ("回款编号", "回款单号", "收款编号", "收款单号", "付款编号", "还款编号",
                   "交易流水号", "银行流水号", "流水号", "交易号", "paymentid", "payment no",
                   "payment number", "receiptid", "receiptno", "receipt no", "transaction id",
                   "txn id"),
    "paid_date": ("回款日期", "付款日期", "收款日期", "到账日期", "还款日期", "实还日期",
                  "支付日期", "交易日期", "paiddate", "paymentdate", "payment date", "paid on",
                  "date paid", "receiptdate", "valuedate", "value date"),
    "reference": ("备注", "附言", "摘要", "用途", "参考号", "reference", "reference number",
                  "memo", "remark", "remarks", "note", "narrative", "description"),
    "payer_name": ("付款人", "付款方", "付款人名称", "付款户名", "对方户名", "汇款人", "payer",
                   "payername", "from"),
    "card_number": ("银行卡号", "银行卡", "卡号", "银行账号", "card number", "card no",
                    "cardno", "bank card"),
}

#: 帐 (and 帳, which OpenCC folds to 帐) read as 账: 帐单 is the common variant spelling of 账单
#: in either script.
_VARIANTS = {ord("帳"): "账", ord("帐"): "账"}


@functools.lru_cache(maxsize=1)
def _opencc():
    import opencc  # a dependency; loaded on first use so `import creditkit` stays light

    return opencc.OpenCC("t2s")


@functools.lru_cache(maxsize=65536)
def _simplified(text: str) -> str:
    if text.isascii():
        return text
    return _opencc().convert(text).translate(_VARIANTS)


_UNIT = re.compile(r"\([^)]*\)|\[[^\]]*\]|\{[^}]*\}")
_NOISE = re.compile(r"[\s_\-.:/\\#()\[\]{}]+")


def normalise_header(header: object) -> str:
    """A header reduced for matching (the rule is in the module docstring).

    Parameters
    ----------
    header : object
        A column header (``str`` or anything with a ``str``).

    Returns
    -------
    str
        The reduced text; two headers mean the same column when these are equal.

    Examples
    --------
    >>> normalise_header(" Invoice_Date "), normalise_header("金額（元）")
    ('invoicedate', '金额')
    >>> normalise_header("\ufeff客戶編號")
    '客户编号'
    """
    t = unicodedata.normalize("NFKC", str(header)).replace("\ufeff", "").strip().lower()
    t = _simplified(t)
    t = _UNIT.sub("", t) or t
    return _NOISE.sub("", t)


def fold_traditional(text: str) -> str:
    """``text`` with every traditional Chinese character replaced by its simplified form.

    For matching only (headers, codes such as 個人 or 港幣): a value a reader
    sees keeps the script it was written in. The conversion is OpenCC's
    (the ``opencc`` package, ``t2s``); ``帳`` and ``帐`` both read as ``账``.

    Parameters
    ----------
    text : str
        Any text; characters without a traditional form pass through.

    Returns
    -------
    str

    Raises
    ------
    ParameterError
        When ``text`` is not a string.

    Examples
    --------
    >>> fold_traditional("客戶編號"), fold_traditional("個人"), fold_traditional("帳單 No.")
    ('客户编号', '个人', '账单 No.')
    """
    if not isinstance(text, str):
        raise ParameterError(f"fold_traditional takes a str, got {type(text).__name__}; "
                             "pass str(value)")
    return _simplified(text)


_REPEAT = re.compile(r"(.+)\.(\d+)")


def repeated_headers(headers: list[str] | pd.Index) -> dict[str, list[str]]:
    """Headers that are one header repeated: ``{header: [header, header.1, ...]}``.

    A reader that meets a header twice keeps both columns by renaming the
    second ``header.1`` (:func:`creditkit.io.read_table` and
    :func:`pandas.read_csv` alike), and a frame can hold one name twice;
    both are found here, so that nothing downstream drops one silently.

    Parameters
    ----------
    headers : list of str or Index
        Column names, as read.

    Returns
    -------
    dict
        Each repeated header (in first-seen order) and every column carrying it.

    Examples
    --------
    >>> repeated_headers(["amount", "due", "amount.1"])
    {'amount': ['amount', 'amount.1']}
    >>> repeated_headers(["a", "a"]), repeated_headers(["v1.2"])
    ({'a': ['a', 'a']}, {})
    """
    names = [str(h) for h in headers]
    present = set(names)
    out: dict[str, list[str]] = {}
    for name in names:
        m = _REPEAT.fullmatch(name)
        base = m.group(1) if m and m.group(1) in present else name
        out.setdefault(base, []).append(name)
    return {k: v for k, v in out.items() if len(v) > 1}


def _repeat_error(repeats: dict[str, list[str]], where: str, cls: type[Exception]) -> Exception:
    header, cols = next(iter(repeats.items()))
    times = "twice" if len(cols) == 2 else f"{len(cols)} times"
    return cls(f"header {header!r} appears {times} in {where} (columns {cols}); creditkit will "
               "not keep one and drop the other silently: rename or delete the extra column "
               f"(e.g. {header + '_2'!r}), then map it with column_map if you need it")


def check_column_map(column_map: Mapping[str, str] | None, table: str) -> dict[str, str]:
    """Check a ``{your header: creditkit name}`` map against the columns of ``table``.

    Parameters
    ----------
    column_map : mapping or None
        Headers to creditkit names (``None`` is no map).
    table : str
        The creditkit table; names are checked against :func:`table_headers`.

    Returns
    -------
    dict
        The map as a plain dict.

    Raises
    ------
    ParameterError
        When the map is not a mapping of strings, names a field ``table`` does
        not have (the message lists the valid fields), maps two headers to one
        field, or ``table`` is unknown.

    Examples
    --------
    >>> check_column_map({"Inv. Amt": "amount"}, "bills")
    {'Inv. Amt': 'amount'}
    >>> check_column_map({"bill no": "bill_identifier"}, "bills")
    Traceback (most recent call last):
    ...
    creditkit.exceptions.ParameterError: column_map maps 'bill no' to 'bill_identifier', which \
is not a field of bills; fields are ['bill_id', 'invoice_id', 'customer_id', 'issue_date', \
'due_date', 'amount_minor', 'currency', 'kind', 'amount']
    """
    allowed = table_headers(table)
    if column_map is None:
        return {}
    if not isinstance(column_map, Mapping) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in column_map.items()):
        raise ParameterError(f"column_map must map header strings to creditkit names, got "
                             f"{column_map!r:.80}; pass e.g. {{'Inv. Amt': 'amount'}}")
    seen: dict[str, str] = {}
    for src, field in column_map.items():
        if field not in allowed:
            raise ParameterError(f"column_map maps {src!r} to {field!r}, which is not a field "
                                 f"of {table}; fields are {list(allowed)}")
        if field in seen:
            raise ParameterError(f"column_map maps both {seen[field]!r} and {src!r} to "
                                 f"{field!r}; map one header to each field")
        seen[field] = src
    return dict(column_map)


def _raw_name(name: str) -> str:
    return name[: -len("_minor")] if name.endswith("_minor") else name


def _build_lookup() -> dict[str, tuple[str, ...]]:
    from creditkit.labels import LABELS

    columns = list(dict.fromkeys(n for t in TABLES.values() for n in t.names))
    raw = [_raw_name(n) for n in columns if n.endswith("_minor")]
    found: dict[str, list[str]] = {}

    def add(spelling: str, column: str) -> None:
        meanings = found.setdefault(normalise_header(spelling), [])
        if column not in meanings:
            meanings.append(column)

    for column in (*columns, *raw):  # a canonical name means itself first
        add(column, column)
    for column, words in HEADER_SYNONYMS.items():
        for word in words:
            add(word, column)
    for column in columns:  # the labels reports print are headers people type too
        for text in LABELS.get(column, {}).values():
            add(text, column)
    return {k: tuple(v) for k, v in found.items()}


_LOOKUP = _build_lookup()


def header_columns(header: object) -> tuple[str, ...]:
    """Every creditkit column ``header`` can mean, the most likely first.

    Examples
    --------
    >>> header_columns("交易日期")
    ('txn_date', 'paid_date')
    >>> header_columns("whatever")
    ()
    """
    return _LOOKUP.get(normalise_header(header), ())


def table_headers(table: str) -> tuple[str, ...]:
    """The columns a header of ``table`` can map to: its canonical names, then raw money names.

    Raises
    ------
    ParameterError
        When ``table`` is not a creditkit table.

    Examples
    --------
    >>> table_headers("bills")[-3:]
    ('currency', 'kind', 'amount')
    """
    if table not in TABLES:
        raise ParameterError(f"unknown table {table!r}; expected one of {sorted(TABLES)}")
    names = TABLES[table].names
    return (*names, *(_raw_name(n) for n in names if n.endswith("_minor")))


def canonical_column(header: object, *, table: str | None = None) -> str | None:
    """Which creditkit column ``header`` names (in ``table`` when given); ``None`` if none.

    Parameters
    ----------
    header : object
        A column header as exported (``"客户编号"``, ``"Account_Number"``, ``"賬單號"``).
    table : str, optional
        Restrict the answer to the columns of this table (see :func:`table_headers`).

    Returns
    -------
    str or None

    Raises
    ------
    ParameterError
        When ``table`` is not a creditkit table.

    Examples
    --------
    >>> canonical_column("手機號碼"), canonical_column("Customer Name"), canonical_column("类别")
    ('phone', 'name', 'kind')
    >>> canonical_column("类别", table="transactions")
    'category'
    """
    meanings = header_columns(header)
    if table is None:
        return meanings[0] if meanings else None
    allowed = table_headers(table)
    return next((m for m in meanings if m in allowed), None)


def map_headers(df: pd.DataFrame, *, table: str | None, column_map: Mapping[str, str] | None,
                where: str) -> tuple[pd.DataFrame, dict[str, str]]:
    """Rename ``df``'s headers to creditkit names, as :func:`creditkit.io.read_table` does.

    ``column_map`` wins; with ``table`` the other headers are recognised by
    :func:`canonical_column`. Two headers meaning one column is an error (the
    reader will not guess which to drop).

    Returns
    -------
    (DataFrame, dict)
        The renamed frame (``df`` itself when nothing changes) and ``{header: name}``.

    Raises
    ------
    DataReadError
        A ``column_map`` key that is not a header, two headers with one meaning,
        a header repeated (``amount`` and ``amount.1``, with ``table``), no
        recognisable column (with ``table``), or duplicate names after renaming.
    ParameterError
        An unknown ``table``, or a ``column_map`` naming a field ``table`` lacks
        (see :func:`check_column_map`).

    Examples
    --------
    >>> import pandas as pd
    >>> df, applied = map_headers(pd.DataFrame(columns=["賬單號", "金額"]), table="bills",
    ...                           column_map=None, where="b.csv")
    >>> df.columns.tolist(), applied
    (['bill_id', 'amount'], {'賬單號': 'bill_id', '金額': 'amount'})
    """
    headers = [str(c) for c in df.columns]
    explicit = check_column_map(column_map, table) if table is not None else dict(column_map or {})
    if table is not None and (repeats := repeated_headers(headers)):
        raise _repeat_error(repeats, where, DataReadError)
    unknown = [k for k in explicit if k not in headers]
    if unknown:
        raise DataReadError(f"column_map names {unknown} that are not headers of {where}; "
                            f"headers are {headers}")
    mapping = {h: explicit[h] for h in headers if h in explicit}
    if table is not None:
        allowed = table_headers(table)
        claimed = set(mapping.values())
        found: dict[str, str] = {}
        for h in headers:
            if h in mapping:
                continue
            target = h if h in allowed else canonical_column(h, table=table)
            if target is None or target in claimed:
                continue
            if target in found:
                raise DataReadError(
                    f"headers {found[target]!r} and {h!r} of {where} both mean {target!r}; "
                    f"pass column_map={{{found[target]!r}: {target!r}}} to choose one")
            found[target] = h
        mapping.update({h: t for t, h in found.items()})
        if not any(t in allowed for t in mapping.values()):
            raise DataReadError(
                f"no column of {where} is recognisable as part of {table}; headers are {headers}; "
                f"pass column_map={{'your header': 'customer_id', ...}} with names from "
                f"{sorted(allowed)}")
    mapping = {h: t for h, t in mapping.items() if h != t}
    out = df.rename(columns=mapping) if mapping else df
    if out.columns.duplicated().any():
        dup = sorted(set(out.columns[out.columns.duplicated()]))
        raise DataReadError(f"after mapping, {where} has duplicate columns {dup}; "
                            "fix column_map so each creditkit name is used once")
    return out, mapping
