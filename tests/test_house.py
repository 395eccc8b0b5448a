"""The house keeps its promises: the README, CI and the code agree with each other.

- the README's configuration table is the table of `yiwang.config.env.VARIABLES`;
- `.ci/run` runs the README's test command;
- only `yiwang.config.env` reads the environment (STYLE.md: settings in one place);
- every yiwang app's migrations match its models;
- `dev.py up` writes the local keys once and never overwrites them.
"""

from __future__ import annotations

import ast
import base64
import importlib.util
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command

from yiwang.config import env

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src"
README = ROOT / "README.md"
CI_RUN = ROOT / ".ci" / "run"
TEST_COMMAND = "python3 dev.py test"


def _load_dev_script():
    spec = importlib.util.spec_from_file_location("yiwang_dev_script", ROOT / "dev.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _cells(line: str) -> list[str]:
    # Split a Markdown table row on unescaped pipes; drop the empty edges.
    parts = re.split(r"(?<!\\)\|", line.strip())[1:-1]
    return [part.strip().replace("\\|", "|") for part in parts]


def _unquote(cell: str) -> str:
    if cell == "（空）":  # how `yiwang config` writes an empty default
        return ""
    return cell[1:-1] if len(cell) >= 2 and cell.startswith("`") and cell.endswith("`") else cell


def readme_configuration_rows() -> list[tuple[str, str, str]]:
    rows = []
    for line in README.read_text(encoding="utf-8").splitlines():
        if line.startswith("| `YIWANG_"):
            name, default, meaning = _cells(line)
            rows.append((_unquote(name), _unquote(default), meaning))
    return rows


def test_readme_configuration_table_lists_exactly_the_declared_variables_with_their_defaults():
    documented = readme_configuration_rows()
    declared = [(v.name, v.default) for v in env.VARIABLES]

    assert [(name, default) for name, default, _ in documented] == declared, (
        "README.md's configuration table differs from yiwang.config.env.VARIABLES: "
        "regenerate it with `python3 dev.py readme-config`"
    )


def test_readme_configuration_table_gives_each_variable_its_declared_meaning():
    documented = {name: meaning for name, _, meaning in readme_configuration_rows()}

    for variable in env.VARIABLES:
        assert documented.get(variable.name) == variable.meaning, variable.name


def _readme_commands() -> list[str]:
    text = README.read_text(encoding="utf-8")
    blocks = re.findall(r"```[a-z]*\n(.*?)```", text, flags=re.S)
    return [line.strip() for block in blocks for line in block.splitlines() if line.strip()]


def test_readme_gives_the_two_commands():
    commands = _readme_commands()

    assert "python3 dev.py up" in commands
    assert TEST_COMMAND in commands


def test_ci_runs_the_readme_test_command():
    ci_lines = [
        line.strip()
        for line in CI_RUN.read_text(encoding="utf-8").splitlines()
        if not line.strip().startswith("#")
    ]

    assert any(line.startswith(TEST_COMMAND) or f" {TEST_COMMAND}" in line for line in ci_lines)
    assert CI_RUN.read_text(encoding="utf-8").startswith("#!/usr/bin/env bash")
    assert "set -euo pipefail" in CI_RUN.read_text(encoding="utf-8")


# --- settings only from yiwang.config.env --------------------------------------------------

# The entry points may name the settings module before Django starts; nothing else may touch
# the environment.
_SETTINGS_MODULE_ENTRY_POINTS = {"config/cli.py", "config/wsgi.py", "config/asgi.py"}


def _environment_reads(tree: ast.AST) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "os":
            if node.attr in {"environ", "environb", "getenv", "getenvb", "putenv", "unsetenv"}:
                found.append((node.lineno, f"os.{node.attr}"))
        elif isinstance(node, ast.ImportFrom) and node.module == "os":
            for alias in node.names:
                if alias.name in {"environ", "environb", "getenv", "getenvb", "putenv", "unsetenv"}:
                    found.append((node.lineno, f"from os import {alias.name}"))
    return found


def _sets_settings_module_only(tree: ast.AST) -> bool:
    # Every touch of the environment is `os.environ.setdefault("DJANGO_SETTINGS_MODULE", ...)`.
    allowed = 0
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "setdefault"
            and isinstance(node.func.value, ast.Attribute)
            and node.func.value.attr == "environ"
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and node.args[0].value == "DJANGO_SETTINGS_MODULE"
        ):
            allowed += 1
    return len(_environment_reads(tree)) == allowed


def _application_modules():
    package = SRC / "yiwang"
    for path in sorted(package.rglob("*.py")):
        relative = path.relative_to(package).as_posix()
        if "/tests/" in f"/{relative}" or path.name == "conftest.py":
            continue
        yield relative, path


def test_only_the_env_module_reads_the_environment():
    offenders = []
    for relative, path in _application_modules():
        if relative == "config/env.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        reads = _environment_reads(tree)
        if not reads:
            continue
        if relative in _SETTINGS_MODULE_ENTRY_POINTS and _sets_settings_module_only(tree):
            continue
        offenders += [f"src/yiwang/{relative}:{line}: {what}" for line, what in reads]

    assert offenders == [], "read settings through yiwang.config.env instead:\n" + "\n".join(offenders)


def test_the_environment_check_catches_a_direct_read():
    # The check above must not pass vacuously.
    tree = ast.parse("import os\nDEBUG = os.environ.get('YIWANG_DEBUG')\nfrom os import getenv\n")

    assert sorted(what for _, what in _environment_reads(tree)) == ["from os import getenv", "os.environ"]
    assert not _sets_settings_module_only(ast.parse("import os\nos.environ.setdefault('X', '1')\n"))


# --- migrations ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_every_yiwang_app_has_migrations_matching_its_models():
    labels = [config.label for config in apps.get_app_configs() if config.name.startswith("yiwang.")]
    assert "accounts" in labels and "orgs" in labels

    try:
        call_command("makemigrations", *labels, "--check", "--dry-run", verbosity=1)
    except SystemExit as exit_:
        pytest.fail(
            f"models changed without a migration (exit {exit_.code}): run "
            "`YIWANG_DEBUG=true .venv/bin/python manage.py makemigrations <app>`"
        )


# --- dev.py: the local keys ---------------------------------------------------------------


def test_up_writes_fresh_keys_once_and_never_overwrites_them(tmp_path, monkeypatch):
    dev = _load_dev_script()
    local_env = tmp_path / "var" / "local.env"
    monkeypatch.setattr(dev, "LOCAL_ENV", local_env)
    monkeypatch.setattr(dev, "ROOT", tmp_path)

    first = dev.ensure_local_env()
    second = dev.ensure_local_env()

    assert first == second, "a second run must keep the keys that encrypt the existing data"
    key_id, _, key = first["YIWANG_DATA_KEYS"].partition(":")
    assert key_id == "k1" and len(base64.b64decode(key)) == 16
    assert len(first["YIWANG_SECRET_KEY"]) >= 50 and first["YIWANG_INDEX_KEY"]
    assert first["YIWANG_DEBUG"] == "false" and first["YIWANG_SECURE_COOKIES"] == "false"
    assert "KEEP THIS FILE" in local_env.read_text(encoding="utf-8")
    assert dev.parse_env_file(dev.new_local_env())["YIWANG_SECRET_KEY"] != first["YIWANG_SECRET_KEY"]


def test_up_keeps_an_edited_local_env_and_the_real_environment_wins(tmp_path, monkeypatch):
    dev = _load_dev_script()
    local_env = tmp_path / "local.env"
    local_env.write_text(
        "# mine\nYIWANG_SECRET_KEY='kept'\nYIWANG_ALLOWED_HOSTS=gov.example.cn\n", encoding="utf-8"
    )
    monkeypatch.setattr(dev, "LOCAL_ENV", local_env)
    monkeypatch.setenv("YIWANG_ALLOWED_HOSTS", "from-shell.example.cn")
    monkeypatch.delenv("YIWANG_SECRET_KEY", raising=False)
    monkeypatch.delenv("YIWANG_SECURE_COOKIES", raising=False)

    merged = dev.platform_env(dev.ensure_local_env())

    assert local_env.read_text(encoding="utf-8").startswith("# mine")
    assert merged["YIWANG_SECRET_KEY"] == "kept"
    assert merged["YIWANG_ALLOWED_HOSTS"] == "from-shell.example.cn"
    assert merged["YIWANG_SECURE_COOKIES"] == "false"


def test_readme_configuration_table_is_the_output_of_yiwang_config():
    from yiwang.core.management.commands.config import variables_markdown

    generated = [line for line in variables_markdown().splitlines() if line.startswith("| `YIWANG_")]
    readme = [
        line for line in README.read_text(encoding="utf-8").splitlines() if line.startswith("| `YIWANG_")
    ]

    assert readme == generated, "run `python3 dev.py readme-config` to paste `yiwang config` into README.md"


def test_readme_lists_every_demo_login():
    from yiwang.core.demo import city

    usernames = [spec["username"] for spec in city.OFFICIALS] + [
        city.CITIZEN["username"],
        city.ENTERPRISE["username"],
    ]
    logins = [
        _unquote(_cells(line)[0])
        for line in README.read_text(encoding="utf-8").splitlines()
        if line.startswith("| `") and not line.startswith("| `YIWANG_")
    ]

    assert logins == usernames
    assert city.DEMO_PASSWORD in README.read_text(encoding="utf-8")
