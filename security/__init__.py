"""What keeps the service safe to run in production, across the domain apps: the record of
sign-ins and refused requests, the sign-in lock-out page, uploads held in memory only, and the
health check the reverse proxy calls.

It is an app of its own because none of this belongs to a domain (plans, performance,
budgets) and serviceplans/ holds only settings and root URLs.
"""
