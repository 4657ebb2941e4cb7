"""Background jobs: a durable Huey queue (SQLite embedded, Redis for scale) and its worker."""
