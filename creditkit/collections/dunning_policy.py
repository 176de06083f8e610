"""The dunning policy (催收提醒策略): its file, its checks and its message templates.

A policy is a table with one line per level, in order:

``level``
    1, 2, 3, … in the order of the file.
``days``
    Days relative to the due date at which the level is reached (``-3`` is
    three days before it, ``0`` the due day, ``15`` fifteen days past due);
    strictly increasing from level to level.
``channel``
    How the message goes out: ``sms``, ``email``, ``call`` (a collector's
    phone call: the template is the call script), ``letter`` or ``legal``;
    several joined by ``+`` (``sms+email``).
``action``
    What the level does besides the message: ``remind``, ``stop_credit`` (no
    new credit until the customer has paid) or ``handover`` (to legal or a
    collection agency). Optional; ``remind`` when absent.
``template_zh``, ``template_en``
    The message in each language, with placeholders in braces (see
    :data:`PLACEHOLDERS`); ``{amount}`` is required in both.

The shipped default (``creditkit/collections/data/dunning_policy.csv``) is
the ladder -3 SMS, due-day SMS, +7 SMS and e-mail, +15 phone call, +30 letter
stopping new credit, +60 handover to legal. An analyst copies it and edits
it; :func:`load_dunning_policy` reads the copy (UTF-8, UTF-8 with BOM or
GB18030, lines starting with ``#`` are notes) and every problem raises a
:class:`~creditkit.exceptions.ParameterError` that names the file's line (the
header counts) and the fix.

Examples
--------
>>> policy = load_dunning_policy()
>>> policy[["level", "days", "channel", "action"]].values.tolist()[:3]
[[1, -3, 'sms', 'remind'], [2, 0, 'sms', 'remind'], [3, 7, 'sms+email', 'remind']]
"""

from __future__ import annotations

import os
import string
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation

import pandas as pd

from creditkit.checks import check_lang
from creditkit.exceptions import ParameterError
from creditkit.labels import label
from creditkit.policy_files import read_policy_csv

__all__ = [
    "DUNNING_ACTIONS",
    "DUNNING_CHANNELS",
    "DUNNING_POLICY_COLUMNS",
    "PLACEHOLDERS",
    "check_dunning_policy",
    "fill_template",
    "load_dunning_policy",
    "render_messages",
    "template_fields",
]

#: The channels a level may use; a level may join several with ``+``.
DUNNING_CHANNELS: tuple[str, ...] = ("sms", "email", "call", "letter", "legal")
#: What a level does besides sending its message.
DUNNING_ACTIONS: tuple[str, ...] = ("remind", "stop_credit", "handover")
#: The columns of a policy (``action`` may be left out).
DUNNING_POLICY_COLUMNS: tuple[str, ...] = ("level", "days", "channel", "action",
                                           "template_zh", "template_en")
#: The placeholders a template may use, and what each is filled with.
PLACEHOLDERS: Mapping[str, str] = {
    "name": "how the customer is addressed (customers.salutation, else customers.name)",
    "amount": "the amount of the bills the message covers, as money in the message's language",
    "past_due": "the part of it past its due date, as money",
    "n_bills": "how many bills the message covers",
    "bill_ids": "their bill ids, oldest due first",
    "due_date": "the oldest due date among them",
    "dpd": "days past that due date (0 before it)",
    "days_to_due": "days until that due date (0 on or after it)",
    "customer_id": "the customer's id",
    "as_of": "the date of the run",
}
REQUIRED = ("amount",)
SHIPPED = "creditkit/collections/data/dunning_policy.csv"


def load_dunning_policy(path: str | os.PathLike[str] | pd.DataFrame | None = None
                        ) -> pd.DataFrame:
    """Read a dunning policy file (default: the one shipped with creditkit) and check it.

    Parameters
    ----------
    path : str, path-like or DataFrame, optional
        A CSV file laid out like the shipped default (read by
        :func:`creditkit.policy_files.read_policy_csv`, the reader of every policy
        table); ``None`` reads the default.

    Returns
    -------
    DataFrame
        The checked policy (see :func:`check_dunning_policy`), with a ``line``
        column giving each level's line in the file.

    Raises
    ------
    DataReadError
        The file is missing, a workbook under a ``.csv`` name, not text, or
        has no rows.
    ParameterError
        A line is wrong; the message names the line and the fix.

    Examples
    --------
    >>> p = load_dunning_policy()
    >>> p["days"].tolist(), p["line"].tolist()[:2]
    ([-3, 0, 7, 15, 30, 60], [6, 7])
    """
    table = read_policy_csv(path, kind="dunning policy", columns=(),
                            shipped=("creditkit.collections", "data/dunning_policy.csv"))
    return check_dunning_policy(table, where=table.attrs["source"])


def template_fields(template: object, *, line: int, column: str, where: str = "policy") -> list:
    """The literal and placeholder parts of a template, checked.

    Parameters
    ----------
    template : str
        A message template such as ``"Dear {name}, {amount} is due"``.
    line : int
        Its line in the policy file, for the error message.
    column : str
        ``template_zh`` or ``template_en``, for the error message.
    where : str, default "policy"
        The file's name, for the error message.

    Returns
    -------
    list of tuple
        ``(literal, placeholder or None)`` pairs, in order.

    Raises
    ------
    ParameterError
        An empty template, unbalanced braces, an unknown placeholder, a
        placeholder with a format (``{amount:>10}``) or a missing ``{amount}``.

    Examples
    --------
    >>> template_fields("Dear {name}, pay {amount}", line=2, column="template_en")
    [('Dear ', 'name'), (', pay ', 'amount')]
    >>> template_fields("pay {amout}", line=3, column="template_en")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    creditkit.exceptions.ParameterError: policy line 3: template_en uses unknown placeholder ...
    """
    at = f"{where} line {line}: {column}"
    if not isinstance(template, str) or not template.strip():
        raise ParameterError(f"{at} is empty; write the message, with {{amount}} where the "
                             "amount goes")
    try:
        parts = list(string.Formatter().parse(template))
    except ValueError as exc:
        raise ParameterError(f"{at} is not a valid template ({exc}): placeholders are written "
                             "{name}, {amount}; write a literal brace as {{ or }}") from exc
    out = []
    for literal, field, spec, conversion in parts:
        if field is not None and field not in PLACEHOLDERS:
            raise ParameterError(f"{at} uses unknown placeholder {{{field}}}; the known ones "
                                 f"are {', '.join('{' + k + '}' for k in PLACEHOLDERS)}")
        if spec or conversion:
            raise ParameterError(f"{at} formats {{{field}}} itself; write {{{field}}} alone: "
                                 "amounts and dates are formatted for the message's language")
        out.append((literal, field))
    missing = [k for k in REQUIRED if k not in {f for _, f in out}]
    if missing:
        raise ParameterError(f"{at} lacks the placeholder {{{missing[0]}}}; a dunning message "
                             "must say how much is owed")
    return out


def fill_template(parts: list, values: Mapping[str, pd.Series], index: pd.Index) -> pd.Series:
    """One message per row: the template's parts joined with each row's values.

    Parameters
    ----------
    parts : list of tuple
        As returned by :func:`template_fields`.
    values : mapping of str to Series of str
        The text of each placeholder, one value per row of ``index``.
    index : Index
        The rows.

    Returns
    -------
    Series of str

    Examples
    --------
    >>> import pandas as pd
    >>> idx = pd.RangeIndex(2)
    >>> parts = template_fields("{name}: {amount}", line=2, column="template_en")
    >>> fill_template(parts, {"name": pd.Series(["Li", "Wu"]),
    ...     "amount": pd.Series(["¥1.00", "¥2.00"])}, idx).tolist()
    ['Li: ¥1.00', 'Wu: ¥2.00']
    """
    out = pd.Series("", index=index, dtype=object)
    for literal, field in parts:
        if literal:
            out = out + literal
        if field is not None:
            out = out + values[field].astype(str).to_numpy()
    return out


def _whole(text: object) -> int | None:
    try:
        d = Decimal(str(text).strip())
    except InvalidOperation:
        return None
    return int(d) if d.is_finite() and d == d.to_integral_value() else None


def check_dunning_policy(policy: pd.DataFrame, *, where: str = "policy") -> pd.DataFrame:
    """Check a dunning policy table and return it typed.

    Parameters
    ----------
    policy : DataFrame
        Columns :data:`DUNNING_POLICY_COLUMNS` (``action`` optional), one row
        per level; an optional ``line`` column gives each row's line in its
        file (else row ``i`` is line ``i + 2``, the header being line 1).
    where : str, default "policy"
        The file's name, used in the messages.

    Returns
    -------
    DataFrame
        ``level``, ``days`` (int), ``channel``, ``action``, ``template_zh``,
        ``template_en``, ``line``.

    Raises
    ------
    ParameterError
        Missing columns; a level out of order; days not whole or not
        increasing; an unknown channel or action; a template that is empty,
        malformed, uses an unknown placeholder or lacks ``{amount}``. The
        message names the line.

    Examples
    --------
    >>> import pandas as pd
    >>> bad = load_dunning_policy().drop(columns="line")
    >>> bad.loc[2, "channel"] = "fax"
    >>> check_dunning_policy(bad)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    creditkit.exceptions.ParameterError: policy line 4: unknown channel 'fax'; ...
    """
    if not isinstance(policy, pd.DataFrame):
        raise ParameterError(f"a dunning policy is a DataFrame or a CSV path; got "
                             f"{type(policy).__name__}; call load_dunning_policy(path)")
    need = [c for c in DUNNING_POLICY_COLUMNS if c != "action"]
    missing = [c for c in need if c not in policy.columns]
    if missing:
        raise ParameterError(f"{where} lacks column(s) {missing}; got {list(policy.columns)}; "
                             f"the header must be {','.join(DUNNING_POLICY_COLUMNS)} (see "
                             f"{SHIPPED})")
    if policy.empty:
        raise ParameterError(f"{where} has no levels; add one line per level (see {SHIPPED})")
    lines = (policy["line"].astype(int).tolist() if "line" in policy.columns
             else list(range(2, len(policy) + 2)))
    rows = policy.to_dict("records")
    out: dict[str, list] = {c: [] for c in (*DUNNING_POLICY_COLUMNS, "line")}
    for i, (row, line) in enumerate(zip(rows, lines, strict=True)):
        at = f"{where} line {line}"
        level = _whole(row["level"])
        if level != i + 1:
            raise ParameterError(f"{at}: level is {row['level']!r} but this is level {i + 1}; "
                                 "number the levels 1, 2, 3, … in the order of the file")
        days = _whole(row["days"])
        if days is None or abs(days) > 36_500:
            raise ParameterError(f"{at}: days must be a whole number of days relative to the due "
                                 f"date (-3, 0, 15); got {row['days']!r}")
        if out["days"] and days <= out["days"][-1]:
            raise ParameterError(f"{at}: days {days} is not after the previous level's "
                                 f"{out['days'][-1]}; days must increase from level to level")
        channel = str(row["channel"]).strip().lower()
        for part in channel.split("+"):
            if part.strip() not in DUNNING_CHANNELS:
                raise ParameterError(f"{at}: unknown channel {part.strip()!r}; use one of "
                                     f"{', '.join(DUNNING_CHANNELS)}, or several joined by + "
                                     "(sms+email)")
        raw = row.get("action")
        action = str(raw).strip().lower() if isinstance(raw, str) else ""
        action = action or "remind"  # a blank or absent action is a plain reminder
        if action not in DUNNING_ACTIONS:
            raise ParameterError(f"{at}: unknown action {action!r}; use one of "
                                 f"{', '.join(DUNNING_ACTIONS)}")
        for col in ("template_zh", "template_en"):
            template_fields(row[col], line=line, column=col, where=where)
        for col, value in (("level", level), ("days", days),
                           ("channel", "+".join(p.strip() for p in channel.split("+"))),
                           ("action", action), ("template_zh", row["template_zh"]),
                           ("template_en", row["template_en"]), ("line", line)):
            out[col].append(value)
    typed = pd.DataFrame(out)
    return typed.astype({"level": "int64", "days": "int64", "line": "int64"})


def _money(amounts: pd.Series, currencies: pd.Series, lang: str) -> pd.Series:
    from creditkit.money import format_minor

    out = pd.Series("", index=amounts.index, dtype=object)
    for cur in currencies.unique():
        at = currencies == cur
        out[at] = format_minor(amounts[at].astype("int64"), str(cur), lang=lang)
    return out


def _date_text(dates: pd.Series, lang: str) -> pd.Series:
    if lang == "zh":
        return (dates.dt.year.astype(str) + "年" + dates.dt.month.astype(str) + "月"
                + dates.dt.day.astype(str) + "日")
    return dates.dt.strftime("%Y-%m-%d")


def render_messages(actions: pd.DataFrame, policy: pd.DataFrame, lang: str,
                    as_of: pd.Timestamp) -> pd.Series:
    """The message of each action in ``lang``, from its level's template.

    Parameters
    ----------
    actions : DataFrame
        Rows shaped like ``DunningRun.actions`` (``name`` as it should appear).
    policy : DataFrame
        The checked policy.
    lang : {"zh", "en"}
    as_of : Timestamp

    Returns
    -------
    Series of str

    Raises
    ------
    ParameterError
        For an unknown ``lang``.

    Examples
    --------
    >>> import pandas as pd
    >>> a = pd.DataFrame({"customer_id": ["C1"], "name": ["Li Lei"], "level": [3],
    ...     "currency": ["CNY"], "amount_minor": [150000], "past_due_minor": [150000],
    ...     "n_bills": [1], "bill_ids": ["B7"], "due_date": pd.to_datetime(["2025-03-01"]),
    ...     "dpd": [9]})
    >>> msg = render_messages(a, load_dunning_policy(), "en", pd.Timestamp("2025-03-10"))[0]
    >>> msg[:57]
    'Dear Li Lei, CN¥1,500.00 is now 9 days overdue (bills: B7'
    >>> render_messages(a, load_dunning_policy(), "zh", pd.Timestamp("2025-03-10"))[0][:29]
    '【逾期提醒】尊敬的Li Lei，您的欠款¥1,500.00'
    """
    check_lang(lang)
    idx = actions.index
    name = actions["name"].astype(str)
    name = name.where(name != "", label("dunning_default_salutation", lang))
    dpd = actions["dpd"].astype("int64")
    values = {
        "name": name,
        "amount": _money(actions["amount_minor"], actions["currency"], lang),
        "past_due": _money(actions["past_due_minor"], actions["currency"], lang),
        "n_bills": actions["n_bills"].astype(str),
        "bill_ids": actions["bill_ids"].astype(str),
        "due_date": _date_text(actions["due_date"], lang),
        "dpd": dpd.clip(lower=0).astype(str),
        "days_to_due": (-dpd).clip(lower=0).astype(str),
        "customer_id": actions["customer_id"].astype(str),
        "as_of": _date_text(pd.Series(as_of, index=idx), lang),
    }
    out = pd.Series("", index=idx, dtype=object)
    col = f"template_{lang}"
    for row in policy.itertuples(index=False):  # one template per level, not per customer
        at = (actions["level"] == row.level).to_numpy()
        if at.any():
            parts = template_fields(getattr(row, col), line=row.line, column=col)
            sub = {k: v[at] for k, v in values.items()}
            out[at] = fill_template(parts, sub, idx[at]).to_numpy()
    return out
