"""The HTTP side of bench/services_api.py: gunicorn (bench/license_http.py's `Server`) on
127.0.0.1 called from client threads in this process, with `Authorization: Bearer` tokens.

Each request opens its own connection (gunicorn's sync workers close it after the response),
as bench/license_http.py does, and its latency is measured from connecting to the last byte
read. Every answer must be 200 (201 for a created draft) and pass the call's check; the first
failure stops the measurement and is raised.
"""

from __future__ import annotations

import http.client
import json
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from license_http import Server, free_port  # noqa: E402, F401  (re-exported for services_api)


@dataclass
class Call:
    """One kind of request: GET `path` as the owner of `token`; `check` looks at the JSON body."""

    path: str
    token: str = ""
    check: object = None  # callable(body) -> bool


@dataclass
class Timed:
    count: int = 0
    seconds: float = 0.0
    latencies: list = field(default_factory=list)  # seconds, every request

    @property
    def rate(self) -> float:
        return self.count / self.seconds if self.seconds else 0.0


def request(port: int, method: str, path: str, token: str = "", body=None) -> tuple[int, bytes]:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    data = None
    if body is not None:
        data = json.dumps(body, ensure_ascii=False).encode()
        headers["Content-Type"] = "application/json"
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request(method, path, body=data, headers=headers)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def _run_threads(threads: int, target) -> float:
    """Start `threads` threads running target(index) together; the wall time they took."""
    failures: list[BaseException] = []
    start = threading.Barrier(threads + 1)

    def body(index: int) -> None:
        start.wait()
        try:
            target(index)
        except Exception as error:  # reported below
            failures.append(error)

    workers = [threading.Thread(target=body, args=(i,)) for i in range(threads)]
    for worker in workers:
        worker.start()
    start.wait()
    began = time.monotonic()
    for worker in workers:
        worker.join()
    took = time.monotonic() - began
    if failures:
        raise failures[0]
    return took


def measure_get(server: Server, call: Call, threads: int, seconds: float) -> Timed:
    """GET the call from every thread for `seconds`: requests, wall time and every latency."""
    per_thread: list[list[float]] = [[] for _ in range(threads)]

    def client(index: int) -> None:
        until = time.monotonic() + seconds
        while time.monotonic() < until:
            began = time.perf_counter()
            status, body = request(server.port, "GET", call.path, call.token)
            per_thread[index].append(time.perf_counter() - began)
            if status != 200 or (call.check is not None and not call.check(json.loads(body))):
                raise RuntimeError(f"GET {call.path} said {status}: {body[:300]!r}")

    took = _run_threads(threads, client)
    latencies = [value for values in per_thread for value in values]
    return Timed(count=len(latencies), seconds=took, latencies=latencies)


# --- writes: one application from draft to 办结 ----------------------------------------------
SERVICES = "/api/v1/services"
OFFICE = SERVICES + "/office/applications"
STEPS = ("create", "save", "submit", "pre-review", "accept", "review", "decide")


@dataclass
class Cycle:
    """Who acts in a cycle: the applicant's token per client thread, the officials' tokens."""

    item_id: int
    applicant_tokens: list
    clerk_token: str
    approver_token: str
    answers: dict


def _send(port, method, path, token, body, expected=200) -> dict:
    status, raw = request(port, method, path, token, body)
    if status != expected:
        raise RuntimeError(f"{method} {path} said {status}: {raw[:400].decode(errors='replace')}")
    return json.loads(raw)


def one_cycle(port: int, cycle: Cycle, index: int, serial: str, timings: dict) -> str:
    """Draft, form, submit; 预审, 受理 (hall clerk); 审查, 决定 (market approver). The licence's
    identifier issued at 办结 is returned."""
    applicant = cycle.applicant_tokens[index]

    def timed(step, method, path, token, body, expected=200):
        began = time.perf_counter()
        answer = _send(port, method, path, token, body, expected)
        timings.setdefault(step, []).append(time.perf_counter() - began)
        return answer

    draft = timed("create", "POST", f"{SERVICES}/applications", applicant, {"item_id": cycle.item_id}, 201)
    url = f"{SERVICES}/applications/{draft['id']}"
    saved = timed("save", "PUT", url, applicant, {"form": cycle.answers, "version": draft["version"]})
    submitted = timed("submit", "POST", url + "/submit", applicant, {"client_token": serial})
    if submitted["status"] != "submitted":
        raise RuntimeError(f"submit left {submitted['status']} (version {saved['version']})")
    office = f"{OFFICE}/{draft['id']}"
    timed("pre-review", "POST", office + "/pre-review", cycle.clerk_token, {"opinion": "材料齐全"})
    timed("accept", "POST", office + "/accept", cycle.clerk_token, {"opinion": "予以受理"})
    timed("review", "POST", office + "/review", cycle.approver_token, {"agree": True, "opinion": "符合条件"})
    decided = timed(
        "decide", "POST", office + "/decide", cycle.approver_token, {"approve": True, "opinion": "准予"}
    )
    if decided["status"] != "completed" or not decided.get("license_identifier"):
        raise RuntimeError(f"decide left {decided['status']}: {decided.get('license_identifier')!r}")
    return decided["license_identifier"]


def measure_cycles(server: Server, cycle: Cycle, threads: int, seconds: float, label: str) -> dict:
    """Cycles completed by `threads` threads in about `seconds` (a started cycle is finished)."""
    counts = [0] * threads
    timings: list[dict] = [{} for _ in range(threads)]

    def client(index: int) -> None:
        until = time.monotonic() + seconds
        while time.monotonic() < until:
            one_cycle(server.port, cycle, index, f"{label}-{index}-{counts[index]}", timings[index])
            counts[index] += 1

    took = _run_threads(threads, client)
    steps = {step: [v for t in timings for v in t.get(step, [])] for step in STEPS}
    return {"cycles": sum(counts), "seconds": took, "rate": sum(counts) / took, "steps": steps}
