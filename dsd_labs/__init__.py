"""Runnable labs of the Distributed Systems Design course.

Every algorithm the text teaches, small enough to read and deterministic
enough to test; pages show their output by running them during the build.
"""
