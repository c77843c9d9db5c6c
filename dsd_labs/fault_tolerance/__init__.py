"""Fault tolerance patterns: backoff with jitter, circuit breakers, retry budgets, deadlines.

Each module simulates one pattern in virtual time (no wall clock, no threads),
so that a run is reproducible from its seed and the numbers on the page are
the numbers the tests check.
"""
