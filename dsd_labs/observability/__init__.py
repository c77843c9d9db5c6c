"""Observability: latency percentiles across instances, trace trees, sampling, trace context.

Each module models one mechanism with seeded randomness and no wall clock, so
that a run is reproducible from its seed and the numbers on the page are the
numbers the tests check: merging per-instance latency histograms, the
critical path and self time of a trace, head versus tail sampling under a
fixed budget, and the W3C ``traceparent`` header with the propagation of
context across services and thread pools.
"""
