"""Write the sample exports of datasets/samples/ (run from anywhere).

They are synthetic: every name, ID number, phone and amount is made up. Notebook
``01-data-quality`` reads them by default, and the cleaning tests check what
cleaning does with each row (``tests/cleaning/test_samples.py``).

Every file imitates an export analysts really receive, with its faults written
out by hand so a person can check what cleaning should do with each row:

- ``customers_crm.csv``: GBK (Excel "CSV" on a Chinese Windows), Chinese
  headers, full-width letters, ``+86`` phones, a 15-digit legacy ID, a wrong
  check digit, ``#N/A`` and blank cells, an exact duplicate row, a conflicting
  duplicate key, and a truncated last line.
- ``customers_erp.csv``: UTF-8 with BOM, English headers, the same people keyed
  ``E-…`` instead of ``C…`` (for deduplication), credit codes, a bad phone.
- ``bills.csv``: GBK, Chinese headers, mixed date formats (ISO, slashes, 年月日,
  compact, Excel serial, ambiguous day/month, impossible date), amounts with
  ¥, 元, thousands separators, negative and non-numeric amounts, ``#N/A``,
  duplicated rows, due before issue, and a truncated last line.
- ``payments.csv``: UTF-8 with BOM, channel spellings of every platform, US$
  amounts, an unknown channel, a currency conflict, a ragged line in the middle
  and a truncated last line.
- ``bills.xlsx``: an Excel workbook with real date cells, serial numbers,
  numeric amounts and an empty row in the middle.

Run: ``python datasets/samples/make_samples.py`` (rewrites the files in place).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

HERE = Path(__file__).resolve().parent


def _id(body17: str) -> str:
    total = sum(int(d) * (2 ** (17 - i) % 11) for i, d in enumerate(body17))
    return body17 + "10X98765432"[total % 11]


_CC = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def _cc(body17: str) -> str:
    total = sum(_CC.index(c) * (3 ** i % 31) for i, c in enumerate(body17))
    return body17 + _CC[(31 - total % 31) % 31]


def _write(name: str, lines: list[str], encoding: str) -> None:
    (HERE / name).write_bytes(("\r\n".join(lines)).encode(encoding))


def customers_crm() -> None:
    zhang = _id("11010519850304123")
    li = _id("31010419900712234")
    wang_bad = _id("44030619780101345")[:-1] + "0"
    wang_bad = wang_bad if wang_bad != _id("44030619780101345") else wang_bad[:-1] + "1"
    lines = [
        "客户编号,客户名称,客户类型,证件号码,手机号,地区,开户日期,授信额度",
        f"C001,张三,个人,{zhang},+86 138 0013 8000,北京,2021/3/5,\"￥50,000.00\"",
        f"C002,李　四,个人,{li.lower()},0086-139-1234-5678,上海,2021年4月1日,30000",
        "C003,ＡＢＣ贸易有限公司,企业,91350100M000100Y43,021-62345678,上海,20200110,1000000",
        f"C004,王五,个人,{wang_bad},13712345678,深圳,2022-06-01,#N/A",
        "C005,赵六,,110105491231002,,,44197,",                 # legacy ID, serial date
        "C006,#N/A,个人,,13800000000,广州,2023-01-01,5000",    # no name
        f"C001,张三,个人,{zhang},+86 138 0013 8000,北京,2021/3/5,\"￥50,000.00\"",  # exact dup
        f"C007,钱七,个人,{_id('32010219950505456')},13655556666,南京,2023-02-30,8000",
        "C008,孙八,外星人,,13655557777,南京,2023-02-01,8000",  # unknown kind
        "C009,周九,个人,,13655558888,杭州,2023-03-01,-100",     # negative limit
        "C010,吴十,个人,,13655559999,杭州,2023-03-01,1000",
        "C010,吴十,个人,,13655559999,杭州,2023-03-01,2000",     # same key, other content
        ",无编号客户,个人,,13655550000,杭州,2023-03-01,1000",   # no key
        ",,,,,,,",                                              # blank Excel row
        "C011,郑十一,个人,,1365555",                             # truncated last line
    ]
    _write("customers_crm.csv", lines, "gbk")


def customers_erp() -> None:
    lines = [
        "\ufeffCustomer No,Customer Name,Type,ID No,Mobile,City,Opened,Credit Limit,Currency",
        f"E-9001,张 三,person,{_id('11010519850304123')},138-0013-8000,北京,2021-03-05,50000,CNY",
        "E-9002,ABC贸易有限公司,company,91350100m000100y43,(021) 6234 5678,上海,2020-01-10,"
        "1000000,RMB",
        f"E-9003,Acme Trading Ltd,company,{_cc('91310115MA1K3WX20')},12345,上海,2019-07-01,"
        "\"US$20,000\",USD",
        "E-9004,john  SMITH,individual,,+86 186 0000 1111,香港,2022-12-12,10000,HKD",
        "E-9005,Broken Limit,company,,,上海,2022-12-12,ten thousand,CNY",
    ]
    _write("customers_erp.csv", lines, "utf-8")


def bills() -> None:
    lines = [
        "账单号,发票号,客户编号,出账日期,到期日,金额,币种,类型",
        "B001,INV-01,C001,2024-01-05,2024-02-05,\"￥1,200.00\",人民币,发票",
        "B002,INV-02,C001,2024/1/6,2024/2/6,800元,,分期",
        "B003,INV-02,C001,2024年1月6日,2024年3月6日,800.00,CNY,分期",
        "B004,INV-03,C002,20240110,20240210,\"3,000\",,发票",
        "B005,INV-04,C002,45301,45332,1500,,发票",                  # Excel serials
        "B006,INV-05,C003,05/01/2024,05/02/2024,2000,,发票",        # ambiguous day/month
        "B007,INV-06,C003,2024-02-30,2024-03-30,2000,,发票",        # impossible date
        "B008,INV-07,C003,2024-01-15,2024-02-15,-500,,发票",        # negative bill
        "B009,INV-08,C004,2024-01-15,2024-02-15,abc,,发票",         # non-numeric
        "B010,INV-09,C004,2024-01-15,2024-02-15,#N/A,,发票",        # Excel #N/A
        "B011,INV-10,C005,2024-03-01,2024-02-01,700,,发票",         # due before issue
        "B001,INV-01,C001,2024-01-05,2024-02-05,\"￥1,200.00\",人民币,发票",  # exact duplicate
        "B012,INV-11,C005,2024-03-01,2024-04-01,700,,发票",
        "B012,INV-11,C005,2024-03-01,2024-04-01,750,,发票",         # conflicting key
        "B013,,C006,2024-03-01,2024-04-01,US$100,USD,费用",
        "B014,INV-12,C006,2024-03-01,2024-04-01,100,美元,手续费",
        "B015,INV-13,,2024-03-01,2024-04-01,100,,发票",             # no customer
        "B016,INV-14,C007,2024-03-01,2024-04-01,\"1,00\",,发票",    # bad grouping
        "B017,INV-15,C007,2024-03-01,2024-04-01,12.345,,发票",      # too many decimals
        "B018,INV-16,C007,2024-03-01,2024-04-01,$5,人民币,发票",    # currency conflict
        "B019,INV-17,C008,2024-03-01",                              # truncated last line
    ]
    _write("bills.csv", lines, "gbk")


def payments() -> None:
    lines = [
        "\ufeff流水号,客户编号,到账日期,金额,币种,支付方式,附言,付款人,账单号",
        "P001,C001,2024-02-01,1200.00,CNY,支付宝,还B001,张三,B001",
        "P002,C001,2024/2/6,800,,微信支付,,张三,B002",
        "P003,C002,2024年2月10日,3000,,对公转账,INV-03 货款,李四,",
        "P004,,2024-02-11,500,,银行转账,无附言,王五,",
        "P005,C003,2024-02-12,US$100,USD,WeChat,,ABC,",
        "P006,C003,2024-02-12,100,,ALIPAY,,ABC,",
        "P007,C003,2024-02-12,100,,比特币,,ABC,",                  # unknown channel
        "P008,C004,2024-02-13,-50,,现金,冲正,王五,",                # negative payment
        "P009,C004,05/03/2024,50,,POS,,王五,",                     # ambiguous date
        "P010,C004,2024-02-14,50,,代扣,,王五,,EXTRA,FIELDS",       # ragged line
        "P011,C005,2024-02-15,\"¥1,000\",USD,刷卡,,赵六,",          # currency conflict
        "P012,C005,2024-02-16,#N/A,,自动扣款,,赵六,",
        "P001,C001,2024-02-01,1200.00,CNY,支付宝,还B001,张三,B001",  # exact duplicate
        "P013,C006,2024-02-17,88",                                # truncated last line
    ]
    _write("payments.csv", lines, "utf-8")


def bills_xlsx() -> None:
    # sheet row 4 is left empty in the middle (a deleted row): an empty_row, never lost
    df = pd.DataFrame({
        "账单号": ["X001", "X002", None, "X003", "X004"],
        "客户编号": ["C001", "C002", None, "C003", None],
        "出账日期": [pd.Timestamp("2024-01-05"), 45301, None, "2024/1/7",
                     pd.Timestamp("2024-01-08")],
        "到期日": [pd.Timestamp("2024-02-05"), 45332, None, "2024-02-30",
                   pd.Timestamp("2024-02-08")],
        "金额": [1200.5, 300, None, "#N/A", 99],
    })
    df.to_excel(HERE / "bills.xlsx", index=False)


if __name__ == "__main__":
    customers_crm()
    customers_erp()
    bills()
    payments()
    bills_xlsx()
    print("wrote", sorted(p.name for p in HERE.iterdir() if p.suffix in {".csv", ".xlsx"}))
