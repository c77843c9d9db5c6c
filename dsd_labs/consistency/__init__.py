"""Consistency-model checkers: the histories other labs produce are judged here."""
