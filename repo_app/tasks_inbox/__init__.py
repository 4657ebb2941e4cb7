"""“My tasks”: one list of what a user has to do, gathered from pluggable task providers."""
