"""Workshops: a trainer's session with a join code, participants with their own sandboxes, the live board."""
