from __future__ import annotations


class QueueConfigError(RuntimeError):
    """PACTUM_QUEUE_URL names a queue Pactum cannot use."""
