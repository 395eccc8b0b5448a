"""Prometheus metrics. With several gunicorn workers set PROMETHEUS_MULTIPROC_DIR (read by
prometheus_client itself) so that every worker's counts are summed."""

from __future__ import annotations

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from prometheus_client import multiprocess as prometheus_multiprocess

REQUESTS = Counter("yiwang_http_requests_total", "HTTP requests", ["method", "status"])
LATENCY = Histogram("yiwang_http_request_seconds", "HTTP request duration", ["method"])


def observe_request(request, response, seconds: float) -> None:
    REQUESTS.labels(request.method, str(response.status_code)).inc()
    LATENCY.labels(request.method).observe(seconds)


def render_metrics() -> tuple[bytes, str]:
    from prometheus_client import values

    if values.ValueClass.__name__.startswith("MultiProcess"):
        registry = CollectorRegistry()
        prometheus_multiprocess.MultiProcessCollector(registry)
    else:
        registry = REGISTRY
    return generate_latest(registry), CONTENT_TYPE_LATEST
