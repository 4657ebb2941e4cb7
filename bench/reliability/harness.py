"""A real ``pactum serve`` on the embedded default in a temporary data folder, driven over HTTP.

The reliability checks (kill -9, hostile files, load) all use it: the server runs as its own
process group, so a SIGKILL takes the web workers and the embedded job worker down together,
as a crash or ``docker kill`` would.
"""

from __future__ import annotations

import hashlib
import io
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import requests
from reportlab.pdfgen import canvas

ADMIN_EMAIL = "reliability@example.com"
ADMIN_PASSWORD = "Kill9-Hostile-Load-2026!"
#: Statuses a version ends in; anything else after the wait is "stuck".
SETTLED = {"indexed", "failed"}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def marked_pdf(marker: str, pages: int = 2) -> bytes:
    """A small text PDF carrying a word no other document has."""
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    for number in range(1, pages + 1):
        page.drawString(72, 760, f"Supply agreement, page {number}. The supplier delivers the goods.")
        page.drawString(72, 740, f"Reference word: {marker}")
        page.showPage()
    page.save()
    return buffer.getvalue()


@dataclass(frozen=True)
class Upload:
    contract_id: int
    sha256: str
    marker: str


class Pactum:
    """One data folder and the ``pactum serve`` processes started on it, one at a time."""

    def __init__(self, data_dir: Path, extra_env: dict[str, str] | None = None) -> None:
        self.data_dir = data_dir
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.env = {
            **os.environ,
            "PACTUM_DATA_DIR": str(data_dir),
            "PACTUM_DEFAULT_LANGUAGE": "en",
            **(extra_env or {}),
        }
        self.process: subprocess.Popen[bytes] | None = None
        self.token = ""
        self.http = requests.Session()

    def cli(self, *args: str, stdin: str | None = None) -> str:
        done = subprocess.run(
            [sys.executable, "-m", "repo_app.cli", *args],
            env=self.env,
            input=stdin,
            capture_output=True,
            text=True,
            check=False,
            timeout=300,
        )
        if done.returncode != 0:
            raise RuntimeError(f"pactum {' '.join(args)} failed: {done.stderr.strip() or done.stdout.strip()}")
        return done.stdout

    def set_up(self) -> None:
        """Schema, an admin and an API token (what an integrator does once)."""
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.cli("db", "upgrade")
        self.cli("users", "create", ADMIN_EMAIL, "--role", "admin", "--password-stdin", stdin=ADMIN_PASSWORD)
        self.token = self.cli("tokens", "create", ADMIN_EMAIL).strip().splitlines()[-1]
        self.http.headers["Authorization"] = f"Bearer {self.token}"

    def start(self, timeout: float = 120) -> None:
        log = (self.data_dir / "serve.log").open("ab")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "repo_app.cli", "serve", "--port", str(self.port), "--workers", "2"],
            env=self.env,
            stdout=log,
            stderr=log,
            start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                if requests.get(f"{self.base}/healthz", timeout=2).status_code == 200:
                    return
            except requests.RequestException:
                time.sleep(0.2)
        raise RuntimeError(f"pactum serve did not answer within {timeout:.0f} s (see {self.data_dir / 'serve.log'})")

    def kill(self) -> None:
        """SIGKILL the server, its web workers and its job worker at once."""
        self._signal(signal.SIGKILL)

    def stop(self) -> None:
        self._signal(signal.SIGTERM)

    def _signal(self, number: int) -> None:
        if self.process is None:
            return
        try:
            os.killpg(self.process.pid, number)
        except ProcessLookupError:
            pass
        group = self.process.pid
        self.process.wait(timeout=60)
        self.process = None
        _wait_until_group_gone(group)

    def upload(self, name: str, data: bytes, timeout: float = 120) -> requests.Response:
        """POST one file (a request of its own, so threads may upload at once)."""
        return requests.post(
            f"{self.base}/api/v1/contracts", headers=self.http.headers, files={"file": (name, data)}, timeout=timeout
        )

    def contract(self, contract_id: int) -> dict[str, Any]:
        answer = self.http.get(f"{self.base}/api/v1/contracts/{contract_id}", timeout=60)
        answer.raise_for_status()
        body: dict[str, Any] = answer.json()
        return body

    def statuses(self, contract_ids: list[int]) -> dict[int, str]:
        return {cid: self.contract(cid)["versions"][0]["status"] for cid in contract_ids}

    def wait_settled(self, contract_ids: list[int], timeout: float) -> dict[int, str]:
        """Poll until every first version is indexed or failed, or the time is up."""
        deadline = time.monotonic() + timeout
        while True:
            statuses = self.statuses(contract_ids)
            if all(status in SETTLED for status in statuses.values()) or time.monotonic() > deadline:
                return statuses
            time.sleep(1)

    def file_sha256(self, contract_id: int) -> str:
        answer = self.http.get(f"{self.base}/api/v1/contracts/{contract_id}/versions/1/file", timeout=120)
        answer.raise_for_status()
        return hashlib.sha256(answer.content).hexdigest()

    def search_total(self, query: str) -> int:
        answer = self.http.get(f"{self.base}/api/v1/search", params={"q": query}, timeout=60)
        answer.raise_for_status()
        return int(answer.json()["total"])

    def audit_chain_intact(self) -> bool:
        try:
            self.cli("audit", "verify")
        except RuntimeError:
            return False
        return True


def _wait_until_group_gone(group: int, seconds: float = 30) -> None:
    """Wait until no process of the server's group is left (so a restart never runs beside one)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            os.killpg(group, 0)
        except ProcessLookupError:
            return
        time.sleep(0.1)
    raise RuntimeError(f"processes of group {group} still run {seconds:.0f} s after the signal")
