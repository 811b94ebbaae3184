"""Net budgets, savings, staffing and budget risks (built in the budgets issue)."""
