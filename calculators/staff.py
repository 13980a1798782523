"""Staff and engineering time: what each way to pay costs in people, per month, when the reader does not say.

Every option needs people, and the seeds count them for owned hardware only (seed 003 names "MLOps
engineers" and gives no figure). So each option has its own default, as a share of one engineer:

- One engineer costs ``ENGINEER_COST_PER_MONTH_USD``: the mean annual wage of US software developers
  (BLS Occupational Employment and Wage Statistics, May 2024, SOC 15-1252: $144,570) times the employer's
  cost of a dollar of wages (BLS Employer Costs for Employee Compensation, September 2024, private
  industry: $44.40 of compensation per $31.25 of wages and salaries, 1.42), over 12 months: $17,117.09.
- A cloud API (``API_STAFF_SHARE``, 0.1 engineer): the provider runs the model; someone still owns the
  integration, model-version migrations, rate limits, outages and the bill.
- Rented GPUs (``RENTAL_STAFF_SHARE``, 0.25 engineer): the team runs the serving stack itself (vLLM or
  similar): deployment, autoscaling, upgrades, monitoring and on-call, but no hardware.
- Owned hardware (``OWNED_STAFF_SHARE``, 0.5 engineer): all of the rented case plus the machines:
  buying, racking, drivers and firmware, failed parts, networking and the space they sit in.

The shares are this project's judgement, not measurements; they are stated so they can be argued with.
Give 0 to leave staff out on purpose (the seeds' own figures do).
"""

from __future__ import annotations

#: BLS OEWS May 2024, software developers (15-1252), mean annual wage, USD.
SOFTWARE_DEVELOPER_MEAN_WAGE_USD = 144_570
#: BLS ECEC September 2024, private industry: total compensation per hour over wages and salaries per hour.
EMPLOYER_COST_PER_WAGE_DOLLAR = 44.40 / 31.25
#: One engineer's cost to the employer, USD a month.
ENGINEER_COST_PER_MONTH_USD = SOFTWARE_DEVELOPER_MEAN_WAGE_USD * EMPLOYER_COST_PER_WAGE_DOLLAR / 12

API_STAFF_SHARE = 0.1
RENTAL_STAFF_SHARE = 0.25
OWNED_STAFF_SHARE = 0.5

#: The defaults, USD a month: $1,711.71 (API), $4,279.27 (rented), $8,558.54 (owned).
API_STAFF_PER_MONTH_USD = round(ENGINEER_COST_PER_MONTH_USD * API_STAFF_SHARE, 2)
RENTAL_STAFF_PER_MONTH_USD = round(ENGINEER_COST_PER_MONTH_USD * RENTAL_STAFF_SHARE, 2)
OWNED_STAFF_PER_MONTH_USD = round(ENGINEER_COST_PER_MONTH_USD * OWNED_STAFF_SHARE, 2)
