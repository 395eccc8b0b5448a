"""GET /api/v1/licenses/verify/{identifier} over TCP: gunicorn on 127.0.0.1, called from threads.

gunicorn runs `yiwang.config.wsgi` with sync workers on the benchmark's database (the
environment of this process: throw-away keys, debug off, the anonymous rate limit raised so
that it never refuses — it is still checked and recorded in the cache on every call). Each
client thread opens a connection per request (sync workers close it after each response),
with `http.client`, and checks every answer is 200 and "valid".
"""

from __future__ import annotations

import http.client
import itertools
import json
import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

GUNICORN = Path(sys.executable).with_name("gunicorn")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _get(port: int, path: str) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


class Server:
    def __init__(self, workers: int):
        self.workers, self.port = workers, free_port()
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> Server:
        self.process = subprocess.Popen(
            [
                str(GUNICORN),
                "yiwang.config.wsgi:application",
                f"--bind=127.0.0.1:{self.port}",
                f"--workers={self.workers}",
                "--worker-class=sync",
                "--log-level=warning",
            ],
            env=dict(os.environ),
            stdout=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited ({self.process.returncode})")
            try:
                _get(self.port, "/api/v1/licenses/keys")
                return self
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("gunicorn did not answer within 60 s")

    def __exit__(self, *exc) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def measure(server: Server, identifiers: list[str], threads: int, seconds: float) -> float:
    """Verified licences per second, all threads together."""
    counts, failures = [0] * threads, []
    start = threading.Barrier(threads + 1)

    def client(index: int) -> None:
        cycle = itertools.islice(itertools.cycle(identifiers), index, None)
        start.wait()
        until = time.monotonic() + seconds
        try:
            while time.monotonic() < until:
                status, body = _get(server.port, f"/api/v1/licenses/verify/{next(cycle)}")
                if status != 200 or json.loads(body)["status"] != "valid":
                    raise RuntimeError(f"gunicorn said {status}: {body[:200]!r}")
                counts[index] += 1
        except Exception as error:  # reported by the caller
            failures.append(error)

    workers = [threading.Thread(target=client, args=(i,)) for i in range(threads)]
    for worker in workers:
        worker.start()
    start.wait()
    started = time.monotonic()
    for worker in workers:
        worker.join()
    took = time.monotonic() - started
    if failures:
        raise failures[0]
    return sum(counts) / took
