#!/usr/bin/env python3
"""The two commands of yiwang — 一网的两条命令.

    python3 dev.py up      set everything up and serve the demo city on http://127.0.0.1:8000
    python3 dev.py test    run the whole test suite (extra arguments go to pytest)

Helper commands:

    python3 dev.py lock            rewrite requirements/lock.txt from the virtual environment
    python3 dev.py readme-config   paste the output of `yiwang config` into README.md

Pure standard library, so it runs on a fresh clone with nothing but Python 3.11+ (Linux,
macOS or Windows). It owns the virtual environment `.venv` and the local secrets file
`var/local.env`; the platform itself reads its settings only from environment variables,
which this script passes to the processes it starts.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import secrets
import signal
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
LOCK = ROOT / "requirements" / "lock.txt"
PYPROJECT = ROOT / "pyproject.toml"
LOCAL_ENV = ROOT / "var" / "local.env"
STAMP = VENV / "yiwang-install.json"
HOST, PORT = "127.0.0.1", 8000

# `up` serves plain http on this machine only, in production mode (debug off): cookies cannot
# be https-only there, and only the loopback names are served. See README "Configuration".
LOCAL_HTTP_DEFAULTS = {
    "YIWANG_DEBUG": "false",
    "YIWANG_SECURE_COOKIES": "false",
    "YIWANG_ALLOWED_HOSTS": "localhost,127.0.0.1",
}

LOCAL_ENV_HEADER = """\
# yiwang local settings, written once by `python3 dev.py up` and never overwritten.
#
# KEEP THIS FILE. YIWANG_DATA_KEYS and YIWANG_INDEX_KEY encrypt and index the personal data
# (身份证号, phone numbers) in the database: if this file is lost, that data cannot be read
# or found again. Back it up with the database; never commit it (var/ is git-ignored).
#
# `dev.py up` passes these variables to the platform; a variable already set in the real
# environment wins. Every variable is described in README.md ("Configuration").
"""


def say(message: str) -> None:
    print(f"[dev.py] {message}", flush=True)


def fail(message: str, code: int = 1) -> int:
    print(f"[dev.py] error: {message}", file=sys.stderr, flush=True)
    return code


# --- the virtual environment ---------------------------------------------------------------


def venv_python() -> Path:
    if os.name == "nt":
        return VENV / "Scripts" / "python.exe"
    return VENV / "bin" / "python"


def install_fingerprint() -> str:
    digest = hashlib.sha256()
    for path in (PYPROJECT, LOCK):
        digest.update(path.name.encode())
        digest.update(path.read_bytes() if path.exists() else b"")
    return digest.hexdigest()


def read_stamp() -> dict:
    try:
        return json.loads(STAMP.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def ensure_venv(*, dev: bool) -> Path:
    """Create `.venv` if missing and install the project; skip pip when nothing changed."""
    python = venv_python()
    if not python.exists():
        say(f"creating the virtual environment {VENV.name}/ ...")
        result = subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=False)
        if result.returncode != 0 or not python.exists():
            raise SystemExit(fail("could not create .venv (on Debian/Ubuntu: apt-get install python3-venv)"))
    fingerprint = install_fingerprint()
    stamp = read_stamp()
    if stamp.get("fingerprint") == fingerprint and (stamp.get("dev") or not dev):
        return python
    target = ".[dev]" if dev else "."
    say(f"installing yiwang ({target}) with the pinned versions of {LOCK.relative_to(ROOT)}")
    say("(the first time this downloads the dependencies and takes a minute or two)")
    constraints = ["-c", str(LOCK)] if LOCK.exists() else []
    command = [
        str(python),
        "-m",
        "pip",
        "install",
        "--disable-pip-version-check",
        "-q",
        *constraints,
        "-e",
        target,
    ]
    result = subprocess.run(command, cwd=ROOT, check=False)
    if result.returncode != 0:
        raise SystemExit(fail("pip install failed (see above)", result.returncode))
    STAMP.write_text(json.dumps({"fingerprint": fingerprint, "dev": dev}), encoding="utf-8")
    return python


# --- local settings ------------------------------------------------------------------------


def new_local_env() -> str:
    secret_key = secrets.token_urlsafe(50)
    data_key = base64.b64encode(secrets.token_bytes(16)).decode("ascii")  # SM4: 128-bit key
    index_key = secrets.token_urlsafe(32)
    lines = [
        LOCAL_ENV_HEADER,
        f"YIWANG_SECRET_KEY={secret_key}",
        f"YIWANG_DATA_KEYS=k1:{data_key}",
        f"YIWANG_INDEX_KEY={index_key}",
        "",
        "# Plain http on this machine only (production mode, debug off).",
        *(f"{name}={value}" for name, value in LOCAL_HTTP_DEFAULTS.items()),
        "",
    ]
    return "\n".join(lines)


def parse_env_file(text: str) -> dict[str, str]:
    values: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        name, sep, value = line.partition("=")
        if not sep:
            raise SystemExit(fail(f"{LOCAL_ENV}:{number}: expected NAME=value"))
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        values[name.strip()] = value
    return values


def ensure_local_env() -> dict[str, str]:
    """Write `var/local.env` once (never overwrite: it holds the personal-data keys)."""
    if not LOCAL_ENV.exists():
        LOCAL_ENV.parent.mkdir(parents=True, exist_ok=True)
        # Create exclusively, readable by the owner only where the OS supports it.
        fd = os.open(LOCAL_ENV, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(new_local_env())
        say(f"wrote new keys to {LOCAL_ENV.relative_to(ROOT)} — keep this file (see its comment)")
    return parse_env_file(LOCAL_ENV.read_text(encoding="utf-8"))


def platform_env(local: dict[str, str]) -> dict[str, str]:
    """Defaults for local http < var/local.env < the real environment."""
    merged = dict(LOCAL_HTTP_DEFAULTS)
    merged.update(local)
    merged.update(os.environ)
    merged.setdefault("PYTHONIOENCODING", "utf-8")
    return merged


# --- commands ------------------------------------------------------------------------------


def run(command: list[str], *, env: dict[str, str] | None = None) -> int:
    """Run a child in the foreground; on Ctrl-C or SIGTERM stop it and return its code."""
    child = subprocess.Popen(command, cwd=ROOT, env=env)

    def stop(signum, frame):
        if child.poll() is None:
            child.terminate()

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        while True:
            try:
                return child.wait()
            except KeyboardInterrupt:
                # The child got the same Ctrl-C from the terminal; give it time to finish.
                stop(None, None)
    finally:
        signal.signal(signal.SIGTERM, previous)


def yiwang(python: Path, *args: str) -> list[str]:
    return [str(python), "-m", "yiwang.config.cli", *args]


def command_up(args: list[str]) -> int:
    host, port = HOST, str(PORT)
    rest = list(args)
    while rest:
        option = rest.pop(0)
        if option in {"--host", "--port"} and rest:
            if option == "--host":
                host = rest.pop(0)
            else:
                port = rest.pop(0)
        else:
            return fail(f"unknown argument for up: {option} (use --host HOST --port PORT)", 2)
    python = ensure_venv(dev=False)
    env = platform_env(ensure_local_env())
    for step in (("migrate", "--no-input"), ("demo",)):
        say("yiwang " + " ".join(step))
        code = run(yiwang(python, *step), env=env)
        if code != 0:
            return fail(f"`yiwang {' '.join(step)}` failed with exit code {code}", code)
    say("")
    say(f"yiwang is starting on http://{host}:{port}/  (Ctrl-C stops it)")
    say(f"  portal 门户: http://{host}:{port}/   admin 系统管理: http://{host}:{port}/admin/")
    say(f"  API: http://{host}:{port}/api/v1/docs   demo logins: see above and README.md")
    return run(yiwang(python, "serve", "--host", host, "--port", port), env=env)


def command_test(args: list[str]) -> int:
    python = ensure_venv(dev=True)
    env = dict(os.environ)
    env.setdefault("PYTHONIOENCODING", "utf-8")
    # Two workers (one per core of the reference machine); a file's tests stay together so
    # module fixtures (a started identity provider, a live server) are built once.
    command = [str(python), "-m", "pytest", "-n", "2", "--dist", "loadfile", *args]
    say(" ".join(["python", *command[1:]]))
    return run(command, env=env)


# Run inside the venv: the installed distributions that `yiwang[dev]` needs, transitively, so
# the lock pins what the project uses and nothing a developer happened to install beside it.
CLOSURE_SCRIPT = r"""
from importlib import metadata
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

pins, seen, todo = {}, set(), [("yiwang", ("dev",))]
while todo:
    name, extras = todo.pop()
    key = (canonicalize_name(name), tuple(sorted(extras)))
    if key in seen:
        continue
    seen.add(key)
    try:
        dist = metadata.distribution(name)
    except metadata.PackageNotFoundError:
        continue
    if key[0] != "yiwang":
        pins[key[0]] = f"{dist.metadata['Name']}=={dist.version}"
    for line in dist.requires or []:
        req = Requirement(line)
        wanted = ("",) + tuple(extras)
        if req.marker is None or any(req.marker.evaluate({"extra": e}) for e in wanted):
            todo.append((req.name, tuple(req.extras)))
print("\n".join(pins[k] for k in sorted(pins)))
"""


def command_lock(args: list[str]) -> int:
    python = ensure_venv(dev=True)
    pinned = subprocess.run(
        [str(python), "-c", CLOSURE_SCRIPT], cwd=ROOT, check=True, capture_output=True, text=True
    ).stdout.strip()
    LOCK.parent.mkdir(exist_ok=True)
    header = (
        "# Pinned versions for reproducible installs, used as constraints by dev.py:\n"
        "#   pip install -c requirements/lock.txt -e .[dev]\n"
        "# Regenerate with `python3 dev.py lock` after changing dependencies in pyproject.toml.\n"
    )
    LOCK.write_text(header + pinned + "\n", encoding="utf-8", newline="\n")
    say(f"wrote {LOCK.relative_to(ROOT)}")
    # The lock is part of the fingerprint; the venv already matches it.
    STAMP.write_text(json.dumps({"fingerprint": install_fingerprint(), "dev": True}), encoding="utf-8")
    return 0


README = ROOT / "README.md"
CONFIG_BEGIN = "<!-- begin: output of `yiwang config`"
CONFIG_END = "<!-- end: output of `yiwang config` -->"


def command_readme_config(args: list[str]) -> int:
    """Paste the output of `yiwang config` between the markers in README.md."""
    python = ensure_venv(dev=False)
    env = dict(os.environ, PYTHONIOENCODING="utf-8", YIWANG_DEBUG="true")
    table = subprocess.run(
        yiwang(python, "config"),
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
        encoding="utf-8",
    ).stdout.strip()
    text = README.read_text(encoding="utf-8")
    begin = text.index(CONFIG_BEGIN)
    begin = text.index("\n", begin) + 1
    end = text.index(CONFIG_END)
    README.write_text(text[:begin] + table + "\n" + text[end:], encoding="utf-8", newline="\n")
    say("README.md: configuration table updated from `yiwang config`")
    return 0


COMMANDS = {
    "up": command_up,
    "test": command_test,
    "lock": command_lock,
    "readme-config": command_readme_config,
}


def main(argv: list[str]) -> int:
    if sys.version_info < (3, 11):
        return fail(f"yiwang needs Python 3.11 or newer; this is {sys.version.split()[0]}")
    if not argv or argv[0] not in COMMANDS:
        print(__doc__)
        return 2
    return COMMANDS[argv[0]](argv[1:])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
