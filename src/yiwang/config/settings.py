"""Django settings. Every value that varies between machines comes from `yiwang.config.env`."""

from __future__ import annotations

import hashlib
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from yiwang.config import env

PACKAGE_DIR = Path(__file__).resolve().parent.parent
REPO_DIR = PACKAGE_DIR.parent.parent
VAR_DIR = REPO_DIR / "var"

DEBUG = env.flag("YIWANG_DEBUG", False)

# A development secret is fine only in debug mode; production refuses to start without one.
_DEV_SECRET = "yiwang-insecure-development-secret-key-change-me-0123456789abcdef"
SECRET_KEY = env.text("YIWANG_SECRET_KEY", _DEV_SECRET if DEBUG else "")
if not SECRET_KEY:
    raise ImproperlyConfigured("YIWANG_SECRET_KEY must be set when YIWANG_DEBUG is false")

ALLOWED_HOSTS = env.items("YIWANG_ALLOWED_HOSTS", "localhost,127.0.0.1")
CSRF_TRUSTED_ORIGINS = env.items("YIWANG_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # Before django.contrib.admin so that its admin/index.html (missing-calendar-year banner) wins.
    "yiwang.core.workcal",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_tasks",
    "django_tasks_db",
    "mozilla_django_oidc",
    "yiwang.core",
    "yiwang.core.orgs",
    "yiwang.core.accounts",
    "yiwang.core.audit",
    "yiwang.core.files",
    "yiwang.core.notify",
    "yiwang.core.web",
    "yiwang.core.search",
    "yiwang.workflow",
    "yiwang.licenses",
    "yiwang.services",
]

MIDDLEWARE = [
    "yiwang.core.web.middleware.MetricsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "yiwang.core.web.middleware.NulCharacterGuardMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "yiwang.core.web.middleware.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "yiwang.core.web.middleware.ClientAddressMiddleware",
]

ROOT_URLCONF = "yiwang.config.urls"
WSGI_APPLICATION = "yiwang.config.wsgi.application"
ASGI_APPLICATION = "yiwang.config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "yiwang.core.web.context.shell",
            ],
        },
    },
]

# --- database ---------------------------------------------------------------------------
DATABASES = {
    "default": dj_database_url.parse(
        env.text("YIWANG_DATABASE_URL", f"sqlite:///{VAR_DIR / 'yiwang.sqlite3'}"),
        conn_max_age=60,
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers run beside the one writer; IMMEDIATE takes the write lock at BEGIN
        # so two writers queue instead of failing with "database is locked" mid-transaction.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
    }
    DATABASES["default"]["TEST"] = {"NAME": None}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- cache (rate limits, lockout back-off): shared between processes ----------------------
_cache_url = env.text("YIWANG_CACHE_URL")
if _cache_url:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": _cache_url}}
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "yiwang_cache",
            # At Django's default of 300 entries a busy portal's rate-limit keys would make the
            # cache cull live entries: limits reset and a periodic slot could be claimed twice.
            "OPTIONS": {"MAX_ENTRIES": 100_000},
        }
    }

# --- identity ---------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["yiwang.core.accounts.backends.UsernameOrPhoneBackend"]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "yiwang.core.accounts.passwords.CharacterClassValidator"},
]
LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:home"
LOGIN_MAX_FAILURES = env.integer("YIWANG_LOGIN_MAX_FAILURES", 5)
LOGIN_LOCK_MINUTES = env.integer("YIWANG_LOGIN_LOCK_MINUTES", 15)
API_TOKEN_MAX_DAYS = env.integer("YIWANG_API_TOKEN_MAX_DAYS", 365)
SESSION_COOKIE_AGE = env.integer("YIWANG_SESSION_HOURS", 8) * 3600
SESSION_ENGINE = "django.contrib.sessions.backends.db"

# OpenID Connect against the provincial identity provider (省统一身份认证), when configured.
OIDC_ENABLED = bool(env.text("YIWANG_OIDC_CLIENT_ID"))
OIDC_RP_CLIENT_ID = env.text("YIWANG_OIDC_CLIENT_ID")
OIDC_RP_CLIENT_SECRET = env.text("YIWANG_OIDC_CLIENT_SECRET")
OIDC_OP_AUTHORIZATION_ENDPOINT = env.text("YIWANG_OIDC_AUTHORIZATION_ENDPOINT")
OIDC_OP_TOKEN_ENDPOINT = env.text("YIWANG_OIDC_TOKEN_ENDPOINT")
OIDC_OP_USER_ENDPOINT = env.text("YIWANG_OIDC_USERINFO_ENDPOINT")
OIDC_OP_JWKS_ENDPOINT = env.text("YIWANG_OIDC_JWKS_ENDPOINT")
OIDC_RP_SIGN_ALGO = "RS256"
OIDC_RP_SCOPES = "openid profile"
OIDC_ID_NUMBER_CLAIM = env.text("YIWANG_OIDC_ID_NUMBER_CLAIM", "id_number")
OIDC_NAME_CLAIM = env.text("YIWANG_OIDC_NAME_CLAIM", "name")
OIDC_PROVIDER_NAME = env.text("YIWANG_OIDC_PROVIDER_NAME", "省统一身份认证平台")
OIDC_OP_ISSUER = env.text("YIWANG_OIDC_ISSUER")  # checked against the ID token's iss when set
OIDC_AUTHENTICATION_CALLBACK_URL = "oidc_authentication_callback"
# mozilla_django_oidc.urls reads the view classes at import: ours 404 when OIDC is off.
OIDC_AUTHENTICATE_CLASS = "yiwang.core.accounts.oidc.ProvincialAuthenticationRequestView"
OIDC_CALLBACK_CLASS = "yiwang.core.accounts.oidc.ProvincialCallbackView"
OIDC_TIMEOUT = 10  # the library's default is no timeout: a hung provider would hang a worker
OIDC_USE_PKCE = True  # RFC 7636; providers without PKCE ignore the extra parameters
LOGIN_REDIRECT_URL_FAILURE = "/login/?oidc=failed"
if OIDC_ENABLED:
    for _name, _value in (
        ("YIWANG_OIDC_CLIENT_SECRET", OIDC_RP_CLIENT_SECRET),
        ("YIWANG_OIDC_AUTHORIZATION_ENDPOINT", OIDC_OP_AUTHORIZATION_ENDPOINT),
        ("YIWANG_OIDC_TOKEN_ENDPOINT", OIDC_OP_TOKEN_ENDPOINT),
        ("YIWANG_OIDC_JWKS_ENDPOINT", OIDC_OP_JWKS_ENDPOINT),
    ):
        if not _value:
            raise ImproperlyConfigured(f"{_name} must be set when YIWANG_OIDC_CLIENT_ID is set")
        if not DEBUG and _name.endswith("ENDPOINT") and not _value.startswith("https://"):
            raise ImproperlyConfigured(f"{_name} must be an https:// URL in production")
    AUTHENTICATION_BACKENDS.append("yiwang.core.accounts.oidc.ProvincialOIDCBackend")

# --- personal data (个人信息保护法; 等保 2.0 confidentiality at rest) -------------------------
_DEV_DATA_KEYS = "dev1:" + "ZGV2LWtleS0xNi1ieXRlcw=="  # base64("dev-key-16-bytes"), debug only
DATA_KEYS = env.text("YIWANG_DATA_KEYS", _DEV_DATA_KEYS if DEBUG else "")
if not DATA_KEYS:
    raise ImproperlyConfigured("YIWANG_DATA_KEYS must be set when YIWANG_DEBUG is false")
DATA_INDEX_KEY = env.text(
    "YIWANG_INDEX_KEY", hashlib.sha256(("blind-index:" + SECRET_KEY).encode()).hexdigest()
)

# --- i18n: Chinese first, English second -------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = env.text("YIWANG_TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

# --- files ------------------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = env.text("YIWANG_STATIC_ROOT", str(VAR_DIR / "static"))
MEDIA_ROOT = env.text("YIWANG_MEDIA_ROOT", str(VAR_DIR / "media"))
STORAGES = {
    # Content-addressed attachments; S3-compatible object storage for several machines.
    "default": {
        "BACKEND": env.text("YIWANG_FILE_STORAGE", "django.core.files.storage.FileSystemStorage"),
        "OPTIONS": env.json_object("YIWANG_FILE_STORAGE_OPTIONS"),
    },
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
UPLOAD_MAX_BYTES = env.integer("YIWANG_UPLOAD_MAX_MB", 20) * 1024 * 1024
UPLOAD_TYPES = env.items("YIWANG_UPLOAD_TYPES", "pdf,ofd,jpg,png,docx,xlsx")
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- notifications ----------------------------------------------------------------------
SMS_BACKEND = env.text("YIWANG_SMS_BACKEND", "yiwang.core.notify.backends.ConsoleSms")
_email_url = env.text("YIWANG_EMAIL_URL", "console:")
if _email_url.startswith("smtp://"):
    from urllib.parse import parse_qs, urlparse

    _parsed = urlparse(_email_url)
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = _parsed.hostname or "localhost"
    EMAIL_PORT = _parsed.port or 25
    EMAIL_HOST_USER = _parsed.username or ""
    EMAIL_HOST_PASSWORD = _parsed.password or ""
    EMAIL_USE_TLS = parse_qs(_parsed.query).get("tls", ["0"])[0] == "1"
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = env.text("YIWANG_EMAIL_FROM", "noreply@yiwang.local")

# --- background work: Django tasks (backport) on the database ----------------------------
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# --- platform knobs ---------------------------------------------------------------------
OFFICE_HOURS = env.text("YIWANG_OFFICE_HOURS", "09:00-12:00,13:30-17:30")
AUDIT_CHAINS = env.integer("YIWANG_AUDIT_CHAINS", 16)
GRID_CODE_LENGTH = env.integer("YIWANG_GRID_CODE_LENGTH", 14)
LICENSE_FONT = env.text("YIWANG_LICENSE_FONT", "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")
LICENSE_ALGORITHM = env.text("YIWANG_LICENSE_ALGORITHM", "SM2-SM3")
if LICENSE_ALGORITHM not in ("SM2-SM3", "Ed25519"):  # licenses.signing.Algorithm
    raise ImproperlyConfigured("YIWANG_LICENSE_ALGORITHM must be SM2-SM3 or Ed25519")
# 好差评 (STANDARDS §5): a 差评's rectification deadline, in working days.
RECTIFICATION_WORKING_DAYS = env.integer("YIWANG_RECTIFICATION_WORKING_DAYS", 15)
if not 1 <= RECTIFICATION_WORKING_DAYS <= 60:
    raise ImproperlyConfigured("YIWANG_RECTIFICATION_WORKING_DAYS must be 1–60")
METRICS_ENABLED = env.flag("YIWANG_METRICS", False)
METRICS_TOKEN = env.text("YIWANG_METRICS_TOKEN")
API_ANON_RATE = env.text("YIWANG_ANON_RATE", "60/min")
API_AUTH_RATE = env.text("YIWANG_AUTH_RATE", "600/min")
PROXY_COUNT = env.integer("YIWANG_PROXY_COUNT", 0)
NINJA_NUM_PROXIES = PROXY_COUNT
NINJA_PAGINATION_CLASS = "yiwang.core.pagination.BoundedLimitOffset"
NINJA_PAGINATION_PER_PAGE = 20
NINJA_PAGINATION_MAX_LIMIT = 200

# --- security (等保 2.0: transport confidentiality, session protection) ------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = False  # htmx reads it to send X-CSRFToken
SESSION_COOKIE_SECURE = env.flag("YIWANG_SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = env.integer("YIWANG_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = SECURE_HSTS_SECONDS > 0
SECURE_SSL_REDIRECT = env.flag("YIWANG_SSL_REDIRECT", False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Behind a TLS-terminating proxy Django cannot redirect itself; the proxy does.
SILENCED_SYSTEM_CHECKS = [] if SECURE_SSL_REDIRECT else ["security.W008"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.text("YIWANG_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
