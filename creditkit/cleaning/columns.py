"""Recognising the column headers of ERP, CRM and payment-platform exports.

Headers are matched after NFKC, lower-casing and dropping spaces,
underscores, dashes and brackets, against the canonical name, its zh/en
label in :mod:`creditkit.labels`, and the usual export spellings below.
Amount headers map to ``amount`` (major units, ``1,234.50``) unless they are
the canonical ``*_minor`` names (integer minor units).

Examples
--------
>>> import pandas as pd
>>> recognise_columns(pd.DataFrame(columns=["账单号", "客户编号", "金额(元)", "到期日"]), "bills")
{'账单号': 'bill_id', '客户编号': 'customer_id', '金额(元)': 'amount', '到期日': 'due_date'}
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping

import pandas as pd

from creditkit.exceptions import ParameterError, SchemaError
from creditkit.labels import LABELS
from creditkit.schema import TABLES

__all__ = ["ALIASES", "FIELDS", "recognise_columns"]

#: Fields cleaning reads per table: canonical columns, with ``amount``/``credit_limit``
#: standing for major-unit amounts next to the ``*_minor`` canonical names.
FIELDS: dict[str, tuple[str, ...]] = {
    "customers": (*TABLES["customers"].names, "credit_limit"),
    "bills": (*TABLES["bills"].names, "amount"),
    "payments": (*TABLES["payments"].names, "amount"),
}

#: Export spellings of each field (matched after normalisation, see module doc).
ALIASES: dict[str, tuple[str, ...]] = {
    "customer_id": ("客户号", "客户id", "客户代码", "客户编码", "客户ID", "cust_id", "custid",
                    "customer", "customer no", "customer number", "client id", "会员号",
                    "用户id", "用户编号"),
    "name": ("客户名称", "客户名", "姓名", "名称", "公司名称", "企业名称", "户名", "customer name",
             "full name"),
    "kind": ("客户类型", "类型", "类别", "账单类型", "回款类型", "type", "customer type"),
    "id_number": ("身份证", "身份证号", "身份证号码", "证件号", "证件号码", "统一社会信用代码",
                  "信用代码", "id no", "id number", "id card", "credit code", "证件编号"),
    "phone": ("电话", "手机", "手机号", "手机号码", "联系电话", "联系方式", "mobile", "tel",
              "telephone", "phone number"),
    "region": ("地区", "区域", "省份", "城市", "所在地", "province", "city", "area"),
    "industry": ("行业", "所属行业", "sector"),
    "open_date": ("开户日期", "开户时间", "注册日期", "建档日期", "opened", "open date",
                  "start date"),
    "credit_limit": ("授信额度", "信用额度", "额度", "credit limit", "limit"),
    "currency": ("币种", "币别", "货币", "ccy", "curr"),
    "external_rating": ("外部评级", "评级", "信用评级", "rating"),
    "bill_id": ("账单号", "账单编号", "单号", "单据号", "账单id", "bill no", "bill number",
                "bill"),
    "invoice_id": ("发票号", "发票号码", "订单号", "订单编号", "合同号", "invoice",
                   "invoice no", "invoice number", "order id", "order no"),
    "issue_date": ("出账日期", "开票日期", "账单日期", "账单日", "单据日期", "发票日期",
                   "invoice date", "bill date", "issued"),
    "due_date": ("到期日", "到期日期", "应还日期", "还款日", "应收日期", "due", "due on"),
    "amount": ("金额", "账单金额", "应收金额", "发票金额", "回款金额", "还款金额", "收款金额",
               "付款金额", "交易金额", "金额元", "金额(元)", "amount", "amt", "total",
               "amount due", "paid amount", "value"),
    "payment_id": ("回款编号", "回款单号", "流水号", "交易流水号", "收款单号", "交易号",
                   "payment no", "transaction id", "txn id", "receipt no"),
    "paid_date": ("回款日期", "付款日期", "还款日期", "收款日期", "交易日期", "到账日期",
                  "payment date", "paid on", "date paid", "value date"),
    "channel": ("渠道", "支付方式", "付款方式", "还款方式", "支付渠道", "收款方式",
                "payment method", "method"),
    "reference": ("附言", "备注", "摘要", "用途", "memo", "remark", "remarks", "note"),
    "payer_name": ("付款人", "付款方", "付款人名称", "对方户名", "payer", "from"),
}


def _norm(text: object) -> str:
    t = unicodedata.normalize("NFKC", str(text)).replace("\ufeff", "").strip().lower()
    return re.sub(r"[\s_\-()\[\]{}（）:：/\\.]+", "", t)


def _lookup_table(table: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for field in FIELDS[table]:
        spellings = [field, *ALIASES.get(field, ())]
        if field in LABELS:
            spellings += [LABELS[field]["zh"], LABELS[field]["en"]]
        for sp in spellings:
            out.setdefault(_norm(sp), field)
    # labels are shared between tables: a generic label must not steal another field's alias
    for field in FIELDS[table]:
        for sp in ALIASES.get(field, ()):
            out[_norm(sp)] = field
    return out


def recognise_columns(
    df: pd.DataFrame, table: str, *, column_map: Mapping[str, str] | None = None
) -> dict[str, str]:
    """Map the headers of ``df`` to the fields cleaning reads for ``table``.

    Parameters
    ----------
    df : DataFrame
        The raw frame; only its column names are read.
    table : {"customers", "bills", "payments"}
        Which table the frame holds.
    column_map : mapping, optional
        Your headers to fields, applied first (e.g. ``{"单据": "bill_id"}``).

    Returns
    -------
    dict
        Header -> field, for the headers recognised; the first header wins
        when two map to the same field.

    Raises
    ------
    ParameterError
        When ``table`` is not one cleaning handles, or ``column_map`` names a
        field that table does not have.
    SchemaError
        When a ``column_map`` key is not a column of ``df``.

    Examples
    --------
    >>> import pandas as pd
    >>> recognise_columns(pd.DataFrame(columns=["Pay No", "amt"]), "payments",
    ...                   column_map={"Pay No": "payment_id"})
    {'Pay No': 'payment_id', 'amt': 'amount'}
    """
    if table not in FIELDS:
        raise ParameterError(
            f"cleaning handles tables {sorted(FIELDS)}, got {table!r}; "
            "pass table='customers', 'bills' or 'payments'")
    found: dict[str, str] = {}
    used: set[str] = set()
    for src, field in (column_map or {}).items():
        if field not in FIELDS[table]:
            raise ParameterError(
                f"column_map maps {src!r} to {field!r}, which is not a field of {table}; "
                f"fields are {list(FIELDS[table])}")
        if src not in df.columns:
            raise SchemaError(
                f"column_map names {src!r}, which is not a column; "
                f"got columns {list(map(str, df.columns))}")
        found[src] = field
        used.add(field)
    lookup = _lookup_table(table)
    for col in df.columns:
        if col in found:
            continue
        field = lookup.get(_norm(col))
        if field is not None and field not in used:
            found[col] = field
            used.add(field)
    return found
