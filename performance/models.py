"""Performance indicators, targets and actuals (built in the performance issue)."""
