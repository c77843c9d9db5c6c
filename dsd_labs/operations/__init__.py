"""Production operations: burn-rate alerting, canary analysis, flag rollouts, queueing, headroom.

Each module turns one operational rule of thumb into arithmetic or a seeded
simulation, so that the numbers the pages of Module 14 quote are produced by
code from stated assumptions, and the tests pin the property each rule rests
on (an alert's detection and reset times, a statistical test's error rates,
a rollout's stability, a queue's delay at a given utilization).
"""
