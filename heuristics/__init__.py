"""Fast heuristics that build IR solutions (dispatch rules, schedule-generation schemes, ...)."""

# The folder installs as schedkit.heuristics; a bare import would load a second copy of every module.
if __name__ != "schedkit.heuristics":
    raise ImportError(f"import schedkit.heuristics, not {__name__}")
