"""The result of a dunning run (:class:`DunningRun`) and its views for reports.

:func:`creditkit.collections.dunning_run` builds it; this module holds what
a reader of the result needs: the actions and statuses in words, with names
masked, and the per-level summary.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from creditkit.checks import check_lang
from creditkit.collections.dunning_policy import render_messages
from creditkit.labels import label

__all__ = ["DunningRun", "channel_words"]


def channel_words(channel: object, lang: str) -> str:
    """A dunning channel in words: ``sms+email`` as ``短信 + 电子邮件``; ``""`` for none.

    Unlike :func:`creditkit.collections.plots.channel_text` (for a figure,
    escaped), this is the plain text a table cell holds.

    Parameters
    ----------
    channel : str or None
        One channel or several joined by ``+``.
    lang : {"zh", "en"}

    Returns
    -------
    str

    Examples
    --------
    >>> channel_words("sms+email", "en"), channel_words("", "en")
    ('SMS + E-mail', '')
    """
    return " + ".join(label(c, lang) for c in str(channel).split("+")) if channel else ""


def _masked(names: pd.Series, mask: bool) -> pd.Series:
    """``names`` masked as reports show them (``creditkit.privacy.mask_name``) when ``mask``."""
    if not mask or not len(names):
        return names
    from creditkit.privacy import mask_name

    return mask_name(names.astype(str))


def _reasons(reasons: pd.Series, lang: str) -> list[str]:
    return [label(f"dunning_{v}", lang) for v in reasons]


@dataclass(frozen=True)
class DunningRun:
    """The result of :func:`dunning_run`.

    Attributes
    ----------
    as_of : Timestamp
        The run's date.
    policy : DataFrame
        The checked policy the run used.
    actions : DataFrame
        One row per customer and currency contacted in this run: ``run_date``,
        ``customer_id``, ``currency``, ``name``, ``level``, ``previous_level``,
        ``channel``, ``action``, ``reason`` (``due_soon``, ``due_today``,
        ``overdue`` or ``promise_broken``), ``dpd`` (of the oldest bill
        covered; negative before its due date), ``due_date``, ``n_bills``,
        ``bill_ids``, ``amount_minor`` (what the covered bills still owe),
        ``past_due_minor`` (the part past its due date), ``message_zh``,
        ``message_en`` (filled with the customer's real name: for sending;
        :meth:`table` masks it for reports).
    covered : DataFrame
        The bills each action covers: ``customer_id``, ``currency``,
        ``bill_id``, ``due_date``, ``dpd``, ``outstanding_minor``.
    status : DataFrame
        One row per customer and currency in a sequence or in dunning, with
        what the run did (``event``: ``sent``, ``hold``, ``paused`` or
        ``stopped``) and why (``reason``), ``level`` after the run, the open
        amounts, ``next_level_on`` (the first date the next level may be
        sent) and ``credit_stopped`` (a level reached so far stops new
        credit or hands the debt over).
    history : DataFrame
        The history passed in (runs before ``as_of``) plus this run's rows
        (one per ``sent`` or ``stopped`` customer). Store it and pass it to
        the next run.
    """

    as_of: pd.Timestamp
    policy: pd.DataFrame
    actions: pd.DataFrame
    covered: pd.DataFrame
    status: pd.DataFrame
    history: pd.DataFrame

    def table(self, *, lang: str = "zh", mask: bool = True) -> pd.DataFrame:
        """The run's actions for a report: one language, coded values in words, names masked.

        Parameters
        ----------
        lang : {"zh", "en"}
        mask : bool, default True
            Mask the customer's name in ``name`` and in the message
            (``creditkit.privacy.mask_name``), as reports do.

        Returns
        -------
        DataFrame
            ``customer_id``, ``name``, ``level``, ``channel``, ``action``,
            ``reason``, ``dpd``, ``n_bills``, ``bill_ids``, ``amount_minor``,
            ``currency``, ``dunning_message``.

        Raises
        ------
        ParameterError
            For an unknown ``lang``.

        Examples
        --------
        >>> from creditkit.collections import dunning_run
        >>> from creditkit.datasets import example_portfolio
        >>> t = example_portfolio()
        >>> run = dunning_run(t["bills"], t["payments"], t["customers"], as_of="2025-03-10")
        >>> run.table(lang="en")[["customer_id", "name", "channel", "amount_minor"]].values.tolist()
        [['C1', '*', 'SMS + E-mail', 6000], ['C2', '*', 'SMS + E-mail', 45000]]
        """
        check_lang(lang)
        a = self.actions
        names = _masked(a["name"], mask)
        out = a[["customer_id", "level"]].copy()
        out.insert(1, "name", names.to_numpy())
        out["channel"] = [channel_words(ch, lang) for ch in a["channel"]]
        out["action"] = [label(v, lang) for v in a["action"]]
        out["reason"] = _reasons(a["reason"], lang)
        for col in ("dpd", "n_bills", "bill_ids", "amount_minor", "currency"):
            out[col] = a[col].to_numpy()
        out["dunning_message"] = (render_messages(a.assign(name=names.to_numpy()), self.policy,
                                                  lang, self.as_of) if len(a) else [])
        return out.reset_index(drop=True)

    def status_table(self, *, lang: str = "zh", mask: bool = True) -> pd.DataFrame:
        """Every sequence of the run for a report: what happened and why, in one language.

        Parameters
        ----------
        lang : {"zh", "en"}
        mask : bool, default True
            Mask the customer's name (``creditkit.privacy.mask_name``).

        Returns
        -------
        DataFrame
            The columns of ``status`` with ``event``, ``reason`` and
            ``action`` in words and ``channel`` as in :meth:`table`.

        Raises
        ------
        ParameterError
            For an unknown ``lang``.

        Examples
        --------
        >>> from creditkit.collections import dunning_run
        >>> from creditkit.datasets import example_portfolio
        >>> t = example_portfolio()
        >>> run = dunning_run(t["bills"], t["payments"], t["customers"], as_of="2025-03-10")
        >>> run.status_table(lang="en")[["customer_id", "event", "level"]].values.tolist()
        [['C1', 'Sent', 3], ['C2', 'Sent', 3]]
        """
        check_lang(lang)
        out = self.status.copy()
        out["name"] = _masked(out["name"], mask).to_numpy()
        out["event"] = [label(v, lang) for v in out["event"]]
        out["reason"] = _reasons(out["reason"], lang)
        out["action"] = [label(v, lang) if v else "" for v in out["action"]]
        out["channel"] = [channel_words(ch, lang) for ch in out["channel"]]
        return out

    def summary(self) -> pd.DataFrame:
        """Customers and amounts of this run per level, channel and event.

        Returns
        -------
        DataFrame
            ``level``, ``event``, ``currency``, ``customers``, ``amount_minor``.

        Examples
        --------
        >>> from creditkit.collections import dunning_run
        >>> from creditkit.datasets import example_portfolio
        >>> t = example_portfolio()
        >>> run = dunning_run(t["bills"], t["payments"], t["customers"], as_of="2025-03-01")
        >>> run.summary().values.tolist()
        [[2, 'sent', 'CNY', 1, 50000], [3, 'sent', 'CNY', 1, 6000]]
        """
        s = self.status
        return (s.groupby(["level", "event", "currency"], as_index=False)
                .agg(customers=("customer_id", "size"), amount_minor=("amount_minor", "sum"))
                .sort_values(["currency", "level", "event"], kind="stable")
                .reset_index(drop=True))
