"""Review: comments anchored to a version's text, the clause checklist, deviations from the
standard text and periodic review."""
