"""/healthz (the process answers), /readyz (the database answers and is migrated), /metrics."""

from django.conf import settings
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpResponse, JsonResponse


def healthz(request):
    return JsonResponse({"status": "ok"})


def readyz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        pending = MigrationExecutor(connection).migration_plan(
            MigrationExecutor(connection).loader.graph.leaf_nodes()
        )
    except Exception as error:  # any database failure means "not ready", reported, not raised
        return JsonResponse({"status": "unavailable", "reason": type(error).__name__}, status=503)
    if pending:
        return JsonResponse({"status": "unavailable", "reason": "migrations pending"}, status=503)
    return JsonResponse({"status": "ok"})


def metrics(request):
    if not settings.METRICS_ENABLED:
        return HttpResponse(status=404)
    if (
        settings.METRICS_TOKEN
        and request.META.get("HTTP_AUTHORIZATION") != f"Bearer {settings.METRICS_TOKEN}"
    ):
        return HttpResponse(status=401)
    from yiwang.core.web.metrics import render_metrics

    body, content_type = render_metrics()
    return HttpResponse(body, content_type=content_type)
