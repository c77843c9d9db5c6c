"""Clocks and causality: Lamport, vector, version vectors, hybrid logical clocks, LWW."""
