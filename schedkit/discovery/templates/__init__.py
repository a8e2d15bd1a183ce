"""Template programs a user copies and edits (files run by path by the evaluator, one per specification)."""
