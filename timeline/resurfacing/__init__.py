"""Resurfacing: the score, the daily pick and its candidates, quiet rules, on this day."""
