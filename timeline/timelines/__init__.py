"""Shared timelines: membership, the access scope, invites, the couple's dates, leaving."""
