"""Contract lifecycle: statuses and their transitions, date-driven moves, renewal and
termination, auto-renewal terms, milestones and watchers. See docs/lifecycle.md."""
