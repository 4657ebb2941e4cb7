from __future__ import annotations

from typing import Any

from flask import jsonify
from flask_login import current_user

from ..auth.login import login_required
from ..core import clock
from . import providers


@login_required
def list_tasks() -> Any:
    groups = providers.gather(current_user, clock.today())
    items = [task.to_dict() for _provider, tasks in groups for task in tasks]
    return jsonify(
        {"total": len(items), "counts": {provider.name: len(tasks) for provider, tasks in groups}, "items": items}
    )
