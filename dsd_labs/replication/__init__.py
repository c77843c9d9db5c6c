"""Replication: replication lag, semi-synchronous commit, quorums, anti-entropy, CRDTs."""
