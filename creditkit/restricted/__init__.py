"""Restricted customers (限制类客户): recovery plans, their tracking and the limit's way back.

- :mod:`~creditkit.restricted.plans`: a balance repaid in monthly instalments,
  exact to the minor unit (:func:`recovery_plan`, :func:`recovery_plans`);
- :mod:`~creditkit.restricted.plan_tracking`: a plan against the payments
  received, instalment by instalment (:func:`track_plans`);
- :mod:`~creditkit.restricted.restoration`: after instalments paid on time the
  level steps down and the limit steps up, by a policy file
  (:func:`restoration_path`);
- :mod:`~creditkit.restricted.plan_plots`: their figures (:func:`plan_chart`,
  :func:`plan_status_chart`).
"""

from creditkit.restricted.plan_plots import plan_chart, plan_status_chart
from creditkit.restricted.plan_tracking import PlanTracking, track_plans
from creditkit.restricted.plans import recovery_plan, recovery_plans
from creditkit.restricted.restoration import load_restoration_policy, restoration_path

__all__ = ["PlanTracking", "load_restoration_policy", "plan_chart", "plan_status_chart",
           "recovery_plan", "recovery_plans",
           "restoration_path", "track_plans"]
