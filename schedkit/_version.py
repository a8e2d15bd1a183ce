"""The version of schedkit: the single source read by the build (pyproject) and by ``schedkit.__version__``."""

__version__ = "0.2.0"
