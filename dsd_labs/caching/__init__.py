"""Distributed caching: eviction on Zipf workloads, stampedes, the stale-set race, hash slots."""
