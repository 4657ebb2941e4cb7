"""The lowest layer of the application: settings, extensions, the clock, errors, the job queue,
audit recording, signals, registries and the unit of work. It imports no feature package."""
