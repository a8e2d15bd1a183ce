"""schedkit: the command-line front end over ``models``, ``solvers``, ``heuristics`` and ``instances``."""

__version__ = "0.1.0"
