"""The `yiwang` console command: Django's manage.py under the platform's name."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yiwang.config.settings")
    from django.core.management import execute_from_command_line

    # `yiwang rotate-keys` and `yiwang rotate_keys` are the same command.
    if len(sys.argv) > 1 and not sys.argv[1].startswith("-"):
        sys.argv[1] = sys.argv[1].replace("-", "_")

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
