"""Consistency-model checkers: the histories other labs produce are judged here.

- ``history``: the operation record shared with the labs of other modules.
- ``linearizability``: Wing–Gong search with memoization for register histories.
- ``models``: exact checkers for linearizability, sequential, causal and PRAM
  consistency on small multi-key histories.
- ``session_guarantees``: Terry et al.'s four guarantees on replica-annotated traces.
- ``quorum_register``: read/write quorums with and without write-back, judged
  by the linearizability checker.
"""
