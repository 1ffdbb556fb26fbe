"""PyInstaller build of the installable app (placeholder until the installer issue)."""

from __future__ import annotations

import sys


def main() -> int:
    print("The installer build is not part of this release yet; run the app with `make run`.")
    return 1


if __name__ == "__main__":
    sys.exit(main())
