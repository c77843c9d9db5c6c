"""Distributed transactions and consensus: two-phase commit, sagas, Raft."""
