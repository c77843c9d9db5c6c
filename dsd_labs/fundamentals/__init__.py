"""Fundamentals: lossy channels, the two generals, a register under partition, physical floors."""
