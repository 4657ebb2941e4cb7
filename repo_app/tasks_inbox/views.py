from __future__ import annotations

from typing import Any

from flask import render_template
from flask_login import current_user

from ..auth.login import login_required
from ..core import clock
from . import providers


@login_required
def inbox() -> Any:
    today = clock.today()
    groups = providers.gather(current_user, today)
    return render_template(
        "tasks/inbox.html", groups=groups, total=sum(len(tasks) for _p, tasks in groups), today=today, now=clock.now()
    )
