#!/usr/bin/env python3
"""Entry point: `python build.py ingest|build|serve|check` (see README.md)."""

import sys

from site_builder.cli import main

if __name__ == "__main__":
    sys.exit(main())
