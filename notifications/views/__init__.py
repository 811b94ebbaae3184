"""The pages of notifications: a person's own (inbox.py) and the chasing page (chasing.py)."""
