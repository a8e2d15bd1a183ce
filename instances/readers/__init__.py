"""One reader per standard file format.

Each module offers ``parse(text, source)``, turning the text into plain Python
data (raising :class:`~schedkit.instances.errors.FormatError` naming file and line), and
``build(data, name)``, turning that data into a ``ProblemData`` through the
matching family builder of :mod:`schedkit.models`. Format detection reuses ``parse``.
"""
