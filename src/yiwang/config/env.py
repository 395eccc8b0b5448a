"""The one place that reads the environment.

Every setting yiwang takes from the outside world is declared here with its default and its
meaning; `yiwang config` prints this table and the README's configuration table is checked
against it by a test, so the two cannot drift apart. Nothing else in the code reads
`os.environ`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass


@dataclass(frozen=True)
class Variable:
    name: str
    default: str
    meaning: str


VARIABLES: tuple[Variable, ...] = (
    Variable("YIWANG_DEBUG", "false", "调试模式 Debug mode. Never true in production."),
    Variable(
        "YIWANG_SECRET_KEY",
        "(required unless debug)",
        "Django secret key: signs sessions and CSRF tokens.",
    ),
    Variable(
        "YIWANG_DATABASE_URL",
        "sqlite:///<repo>/var/yiwang.sqlite3",
        "Database URL. PostgreSQL: postgres://user@host:5432/yiwang (UTF-8, ctype C.UTF-8).",
    ),
    Variable(
        "YIWANG_DATA_KEYS",
        "(required unless debug)",
        "Personal-data keys, newest first: `k2:<base64 16 bytes>,k1:<…>`. SM4-GCM; the first encrypts, all decrypt.",
    ),
    Variable(
        "YIWANG_INDEX_KEY",
        "(derived from the secret key in debug)",
        "Key of the blind index (HMAC-SM3) used to find ID numbers and phones. Never rotate casually.",
    ),
    Variable("YIWANG_ALLOWED_HOSTS", "localhost,127.0.0.1", "Comma-separated host names served."),
    Variable(
        "YIWANG_CSRF_TRUSTED_ORIGINS", "", "Comma-separated origins (https://gov.example.cn) behind a proxy."
    ),
    Variable("YIWANG_SECURE_COOKIES", "true unless debug", "Send session and CSRF cookies only over HTTPS."),
    Variable("YIWANG_HSTS_SECONDS", "31536000 unless debug", "Strict-Transport-Security max-age."),
    Variable(
        "YIWANG_PROXY_COUNT",
        "0",
        "Reverse proxies in front that append to X-Forwarded-For (client address for audit).",
    ),
    Variable(
        "YIWANG_SSL_REDIRECT", "false", "Redirect http to https in Django (leave false behind a TLS proxy)."
    ),
    Variable(
        "YIWANG_CACHE_URL", "", "redis://127.0.0.1:6379/0 for several machines; empty: the database cache."
    ),
    Variable(
        "YIWANG_FILE_STORAGE",
        "django.core.files.storage.FileSystemStorage",
        "Storage backend of uploaded files; storages.backends.s3.S3Storage for S3-compatible storage (pip install django-storages[s3]).",
    ),
    Variable(
        "YIWANG_FILE_STORAGE_OPTIONS",
        "{}",
        'JSON options of that backend, e.g. {"bucket_name": "yiwang", "endpoint_url": "https://oss.example.cn"}.',
    ),
    Variable("YIWANG_MEDIA_ROOT", "<repo>/var/media", "Where uploaded files are stored (content-addressed)."),
    Variable("YIWANG_STATIC_ROOT", "<repo>/var/static", "Where `collectstatic` puts static files."),
    Variable("YIWANG_UPLOAD_MAX_MB", "20", "Largest accepted attachment, in MB."),
    Variable(
        "YIWANG_UPLOAD_TYPES",
        "pdf,ofd,jpg,png,docx,xlsx",
        "Accepted attachment types, by sniffed content.",
    ),
    Variable("YIWANG_LOGIN_MAX_FAILURES", "5", "Failed logins before an account is locked."),
    Variable(
        "YIWANG_LOGIN_LOCK_MINUTES", "15", "First lock period; doubles with each further failure, up to 24 h."
    ),
    Variable("YIWANG_SESSION_HOURS", "8", "Session lifetime in hours."),
    Variable("YIWANG_API_TOKEN_MAX_DAYS", "365", "Longest lifetime of a personal API token."),
    Variable("YIWANG_ANON_RATE", "60/min", "Rate limit of anonymous API calls per client address."),
    Variable("YIWANG_AUTH_RATE", "600/min", "Rate limit of signed-in API calls per user."),
    Variable("YIWANG_OFFICE_HOURS", "09:00-12:00,13:30-17:30", "Office hours for working-hour time limits."),
    Variable("YIWANG_TIME_ZONE", "Asia/Shanghai", "Time zone of the city."),
    Variable(
        "YIWANG_AUDIT_CHAINS", "16", "Number of parallel audit hash chains (writers lock one chain, not all)."
    ),
    Variable(
        "YIWANG_GRID_CODE_LENGTH", "14", "Length of 单元网格编码 (CJ/T 213: 14; some cities extend it)."
    ),
    Variable(
        "YIWANG_LICENSE_ALGORITHM",
        "SM2-SM3",
        "Signature algorithm of newly issued e-licences: SM2-SM3 (国密, GB/T 38540) or Ed25519.",
    ),
    Variable(
        "YIWANG_LICENSE_FONT",
        "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
        "中文字体 of 电子证照 PDFs (.ttf/.ttc, embedded as a subset); if missing, the built-in STSong-Light (not embedded).",
    ),
    Variable("YIWANG_METRICS", "false", "Expose Prometheus metrics at /metrics."),
    Variable(
        "YIWANG_RECTIFICATION_WORKING_DAYS",
        "15",
        "差评整改 deadline in working days (STANDARDS §5: 15 in several provinces, 5 or 7 in some cities).",
    ),
    Variable("YIWANG_METRICS_TOKEN", "", "If set, /metrics requires `Authorization: Bearer <token>`."),
    Variable(
        "YIWANG_SMS_BACKEND",
        "yiwang.core.notify.backends.ConsoleSms",
        "Dotted path of the SMS gateway class.",
    ),
    Variable(
        "YIWANG_EMAIL_URL",
        "console:",
        "Mail: `console:` prints; `smtp://user:pass@host:587?tls=1` sends.",
    ),
    Variable("YIWANG_EMAIL_FROM", "noreply@yiwang.local", "Sender address of e-mail."),
    Variable(
        "YIWANG_OIDC_CLIENT_ID",
        "",
        "OpenID Connect client id at the provincial identity provider; empty: off.",
    ),
    Variable("YIWANG_OIDC_CLIENT_SECRET", "", "OpenID Connect client secret."),
    Variable("YIWANG_OIDC_AUTHORIZATION_ENDPOINT", "", "Provider's authorization endpoint URL."),
    Variable("YIWANG_OIDC_TOKEN_ENDPOINT", "", "Provider's token endpoint URL."),
    Variable("YIWANG_OIDC_USERINFO_ENDPOINT", "", "Provider's userinfo endpoint URL."),
    Variable("YIWANG_OIDC_JWKS_ENDPOINT", "", "Provider's JWKS URL (RS256 keys)."),
    Variable("YIWANG_OIDC_ISSUER", "", "Provider's issuer URL (the iss of its ID tokens); checked when set."),
    Variable(
        "YIWANG_OIDC_ID_NUMBER_CLAIM",
        "id_number",
        "Claim carrying the 身份证号, used to link the citizen account.",
    ),
    Variable("YIWANG_OIDC_NAME_CLAIM", "name", "Claim carrying the real name."),
    Variable("YIWANG_OIDC_PROVIDER_NAME", "省统一身份认证平台", "Name shown on the login button."),
    Variable("YIWANG_LOG_LEVEL", "INFO", "Log level."),
)

_KNOWN = {v.name for v in VARIABLES}


def raw(name: str) -> str | None:
    """The variable as set, or None. Only declared variables may be read."""
    if name not in _KNOWN:
        raise KeyError(f"{name} is not declared in yiwang.config.env.VARIABLES")
    value = os.environ.get(name)
    return value if value not in (None, "") else None


def text(name: str, default: str = "") -> str:
    value = raw(name)
    return default if value is None else value


def flag(name: str, default: bool) -> bool:
    value = raw(name)
    if value is None:
        return default
    lowered = value.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ValueError(f"{name}={value!r} is not a boolean (use true or false)")


def integer(name: str, default: int) -> int:
    value = raw(name)
    if value is None:
        return default
    try:
        return int(value)
    except ValueError:
        raise ValueError(f"{name}={value!r} is not an integer") from None


def json_object(name: str, default: str = "{}") -> dict:
    import json

    try:
        value = json.loads(text(name, default))
    except json.JSONDecodeError as error:
        raise ValueError(f"{name} is not valid JSON: {error.msg} (position {error.pos})") from None
    if not isinstance(value, dict):
        raise ValueError(f"{name} must be a JSON object")
    return value


def items(name: str, default: str = "") -> list[str]:
    return [part.strip() for part in text(name, default).split(",") if part.strip()]
