"""Distributed data processing: MapReduce with faults, skewed joins, event-time windows."""
