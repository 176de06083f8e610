"""The manager's monthly portfolio review (月度资产质量回顾): figures, their drivers, commentary.

- :mod:`~creditkit.review.kpis`: the headline figures at a date and the month
  end before (:func:`review_kpis`);
- :mod:`~creditkit.review.drivers`: which segment moved a share
  (:func:`share_drivers`), the parts adding up exactly to the change;
- :mod:`~creditkit.review.commentary`: plain-language sentences in zh or en
  generated from those numbers (:func:`commentary`), never typed by hand, and
  the figures as a manager's table (:func:`kpi_table`);
- :mod:`~creditkit.review.stability`: whether the scores in use still meet the
  population they met a month before (:func:`score_stability`, PSI per card);
- :mod:`~creditkit.review.plots` and :mod:`~creditkit.review.widgets`: the score shift
  chart and the live driver explorer (:func:`driver_explorer`).
"""

from creditkit.review.commentary import (
    commentary,
    commentary_block,
    commentary_html,
    kpi_table,
)
from creditkit.review.drivers import driver_table, share_drivers, share_drivers_from_aging
from creditkit.review.kpis import KPIS, kpi_headline, previous_month_end, review_kpis
from creditkit.review.stability import score_stability
from creditkit.review.widgets import driver_explorer

__all__ = ["KPIS", "commentary", "commentary_block", "commentary_html", "driver_explorer",
           "driver_table",
           "kpi_headline",
           "kpi_table", "previous_month_end", "review_kpis", "score_stability", "share_drivers",
           "share_drivers_from_aging"]
