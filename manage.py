#!/usr/bin/env python3
"""Same as the `yiwang` command, for those used to Django."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent / "src"))

from yiwang.config.cli import main  # noqa: E402

if __name__ == "__main__":
    main()
