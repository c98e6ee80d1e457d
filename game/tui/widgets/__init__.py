"""Widgets the play, ending and replay screens share."""
