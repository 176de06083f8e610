"""The manager's monthly portfolio review (月度资产质量回顾): figures, their drivers, commentary.

- :mod:`~creditkit.review.kpis`: the headline figures at a date and the month
  end before (:func:`review_kpis`);
- :mod:`~creditkit.review.drivers`: which segment moved a share
  (:func:`share_drivers`), the parts adding up exactly to the change;
- :mod:`~creditkit.review.commentary`: plain-language sentences in zh or en
  generated from those numbers (:func:`commentary`), never typed by hand.
"""

from creditkit.review.commentary import commentary, commentary_html
from creditkit.review.drivers import share_drivers, share_drivers_from_aging
from creditkit.review.kpis import KPIS, previous_month_end, review_kpis

__all__ = ["KPIS", "commentary", "commentary_html", "previous_month_end", "review_kpis",
           "share_drivers", "share_drivers_from_aging"]
