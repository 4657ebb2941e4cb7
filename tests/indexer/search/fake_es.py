"""A tiny HTTP server on 127.0.0.1 that records what the Elasticsearch backend
sends and answers with canned Elasticsearch responses.

It lets the tests assert on real request bodies (mapping, queries, bulk lines,
alias actions) produced by the real client and the real backend code; only
the cluster is fake."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit


@dataclass
class Recorded:
    method: str
    path: str
    params: dict[str, list[str]]
    body: Any  # parsed JSON, a list of NDJSON lines, or None


@dataclass
class FakeCluster:
    alias: str = "pactum-contracts"
    alias_exists: bool = False
    old_indices: list[str] = field(default_factory=lambda: ["pactum-contracts-old"])
    hits: list[dict[str, Any]] = field(default_factory=list)
    stored: dict[str, dict[str, Any]] = field(default_factory=dict)
    requests: list[Recorded] = field(default_factory=list)

    def find(self, method: str, contains: str) -> list[Recorded]:
        """Requests by method and path fragment; "POST" also matches PUT (the
        client sends bodies with either, depending on the API)."""
        methods = {"POST", "PUT"} if method == "POST" else {method}
        return [r for r in self.requests if r.method in methods and contains in r.path]

    # -- canned answers ---------------------------------------------------------------------------

    def answer(self, req: Recorded) -> tuple[int, Any]:
        handler = self._handler(req.path)
        if handler is not None:
            return handler(req)
        if req.method == "PUT":
            return self._create_index(req)
        if req.method == "DELETE":
            return 200, {"acknowledged": True}
        return 404, {"error": f"fake cluster has no answer for {req.method} {req.path}", "status": 404}

    def _handler(self, path: str) -> Callable[[Recorded], tuple[int, Any]] | None:
        """The answer for a cluster-wide API (by path) or an index API (by the path's last part)."""
        if path.startswith("/_alias/"):
            return self._alias
        cluster_apis = {"/": self._info, "/_bulk": self._bulk, "/_aliases": self._acknowledge}
        if path in cluster_apis:
            return cluster_apis[path]
        index_apis = {
            "/_search": self._search_answer,
            "/_mget": self._mget,
            "/_count": self._count,
            "/_refresh": self._refresh,
            "/_mapping": self._acknowledge,
        }
        for suffix, handler in index_apis.items():
            if path.endswith(suffix):
                return handler
        return None

    def _info(self, req: Recorded) -> tuple[int, Any]:
        return 200, {
            "name": "fake",
            "cluster_name": "fake",
            "cluster_uuid": "x",
            "version": {"number": "9.0.0", "build_flavor": "default"},
            "tagline": "You Know, for Search",
        }

    def _alias(self, req: Recorded) -> tuple[int, Any]:
        if req.method == "HEAD":
            return (200 if self.alias_exists else 404), None
        return 200, {name: {"aliases": {self.alias: {}}} for name in self.old_indices}

    def _bulk(self, req: Recorded) -> tuple[int, Any]:
        items = [
            {next(iter(line)): {"status": 200, "result": "created"}}
            for line in req.body
            if isinstance(line, dict) and len(line) == 1 and next(iter(line)) in ("index", "delete")
        ]
        return 200, {"took": 1, "errors": False, "items": items}

    def _acknowledge(self, req: Recorded) -> tuple[int, Any]:
        return 200, {"acknowledged": True}

    def _search_answer(self, req: Recorded) -> tuple[int, Any]:
        return 200, self._search(req.body or {})

    def _mget(self, req: Recorded) -> tuple[int, Any]:
        ids = (req.body or {}).get("ids", [])
        return 200, {
            "docs": [
                {"_id": i, "found": i in self.stored, **({"_source": self.stored[i]} if i in self.stored else {})}
                for i in ids
            ]
        }

    def _count(self, req: Recorded) -> tuple[int, Any]:
        return 200, {"count": len(self.hits)}

    def _refresh(self, req: Recorded) -> tuple[int, Any]:
        return 200, {"_shards": {"total": 1, "successful": 1, "failed": 0}}

    def _create_index(self, req: Recorded) -> tuple[int, Any]:
        if (req.body or {}).get("aliases"):
            self.alias_exists = True
        return 200, {"acknowledged": True, "shards_acknowledged": True, "index": req.path.strip("/")}

    def _search(self, body: dict[str, Any]) -> dict[str, Any]:
        size = int(body.get("size", 10))
        hits = self.hits[:size]
        out: dict[str, Any] = {
            "took": 1,
            "timed_out": False,
            "hits": {"total": {"value": len(self.hits), "relation": "eq"}, "hits": hits},
        }
        aggs: dict[str, Any] = {}
        for name, spec in (body.get("aggs") or {}).items():
            if "filters" in spec:
                aggs[name] = {"buckets": {k: {"doc_count": 1} for k in spec["filters"]["filters"]}}
            elif name == "suggest":
                aggs[name] = {"buckets": [{"key": "华为技术有限公司\x1f华为技术有限公司", "doc_count": 2}]}
            else:
                aggs[name] = {"buckets": [{"key": "active", "doc_count": len(self.hits)}]}
        if aggs:
            out["aggregations"] = aggs
        return out


class _Handler(BaseHTTPRequestHandler):
    cluster: FakeCluster

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        pass

    def _handle(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length).decode("utf-8") if length else ""
        parts = urlsplit(self.path)
        body: Any = None
        if raw:
            if "ndjson" in (self.headers.get("Content-Type") or ""):
                body = [json.loads(line) for line in raw.splitlines() if line.strip()]
            else:
                body = json.loads(raw)
        req = Recorded(self.command, parts.path, parse_qs(parts.query), body)
        self.cluster.requests.append(req)
        status, payload = self.cluster.answer(req)
        data = b"" if payload is None else json.dumps(payload).encode("utf-8")
        self.send_response(status)
        self.send_header("X-Elastic-Product", "Elasticsearch")
        self.send_header("Content-Type", "application/vnd.elasticsearch+json;compatible-with=9")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _handle


class FakeElasticsearch:
    def __init__(self) -> None:
        self.cluster = FakeCluster()
        handler = type("Handler", (_Handler,), {"cluster": self.cluster})
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def __enter__(self) -> FakeElasticsearch:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(5)
