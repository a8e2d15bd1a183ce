"""``python -m schedkit`` runs the command line."""

from schedkit.cli import main

raise SystemExit(main())
