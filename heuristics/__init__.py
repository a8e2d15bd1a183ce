"""Fast heuristics that build IR solutions (dispatch rules, schedule-generation schemes, ...)."""
