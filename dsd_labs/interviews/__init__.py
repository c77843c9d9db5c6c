"""Labs for Module 13 (system design interviews): the mechanisms the walkthroughs lean on.

``rate_limiters`` runs four rate limiters on the same traffic and measures what
each admits in any window; ``fencing_lock`` runs a lease-based lock service
with a paused client and shows which fencing rule keeps a counter correct.
The capacity models behind every estimate in the module live in
``dsd_labs.capacity`` (ids ``m13-…``).
"""
