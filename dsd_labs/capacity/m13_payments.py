"""Capacity model of the payment processing interview walkthrough (Module 13)."""

from __future__ import annotations

from dsd_labs.capacity.model import Assumptions, Table

DAY = 86400.0
YEAR_DAYS = 365.0


def estimate(a: Assumptions) -> list[Table]:
    """Payment and ledger rates, ledger and idempotency storage, and unknown outcomes."""
    t = Table("traffic", "Payments and ledger writes")
    average = t.add("payment_rate", "Payments, daily average", a.payments_per_day / DAY,
                    "payments/s", "payments per day ÷ 86,400 s")
    peak = t.add("peak_payment_rate", "Payments at peak", average * a.peak_to_average,
                 "payments/s", "average rate × peak factor")
    t.add("peak_ledger_writes", "Ledger entries written at peak", peak * a.entries_per_payment,
          "entries/s", "peak payments × entries per payment")
    t.add("unknown_outcomes", "Processor calls with no answer, per day",
          a.payments_per_day * a.unknown_outcome_share, "payments/day",
          "payments per day × unknown-outcome share")

    s = Table("storage", "Storage")
    yearly = s.add("ledger_per_year", "Ledger growth per year",
                   a.payments_per_day * YEAR_DAYS * a.entries_per_payment * a.entry_size, "B",
                   "payments per day × 365 × entries per payment × entry size")
    s.add("ledger_retained", "Ledger kept for the retention period", yearly * a.retention_years,
          "B", "yearly growth × years kept")
    s.add("idempotency_store", "Idempotency records kept",
          a.payments_per_day * a.idempotency_ttl / DAY * a.idempotency_record, "B",
          "payments per day × (key lifetime ÷ 86,400 s) × record size")
    return [t, s]
