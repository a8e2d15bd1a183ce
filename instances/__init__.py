"""Instances: readers for the standard formats, seeded generators and tiny bundled instances.

Read any supported file with :func:`read` (the format is detected from the
name or the content, or given with ``format=``)::

    from schedkit.instances import read, bundled
    problem = read(bundled("js3x3"))
    problem = read("wt40.txt", index=3)          # OR-Library wt: one instance per call

Generate instances with the seeded generators (:func:`layered_rcpsp`,
:func:`potts_vanwassenhove`, :func:`taillard_jobshop`, :func:`random_jobshop`,
:func:`sd2_fjsp`). Everything returns a ``models.ProblemData`` built through the
family builders of :mod:`schedkit.models`, the only part of schedkit this package uses.

Tree-search traces are search trees, not problems: :func:`read_kvtrace` and
:func:`write_kvtrace` handle recorded ones (JSON lines), :func:`synthetic_kvtree`
draws a seeded synthetic one to search.
"""

from schedkit.instances.benchmarks import benchmarks_dir
from schedkit.instances.catalog import bundled, bundled_names
from schedkit.instances.detect import FORMATS, detect_format
from schedkit.instances.errors import FormatError, UnknownFormatError
from schedkit.instances.generators.fjsp import sd2_fjsp
from schedkit.instances.generators.jobshop import random_jobshop
from schedkit.instances.generators.kvtree import SyntheticConfig, SyntheticTree, synthetic_kvtree
from schedkit.instances.generators.rcpsp import layered_rcpsp
from schedkit.instances.generators.taillard import (
    TAILLARD_JOBSHOP,
    taillard_jobs,
    taillard_jobshop,
    taillard_jobshop_from_seeds,
)
from schedkit.instances.generators.tardiness import RDD_VALUES, TF_VALUES, potts_vanwassenhove, tardiness_classes
from schedkit.instances.readers.kvtrace import read_kvtrace, write_kvtrace
from schedkit.instances.reading import read

__all__ = [
    "FORMATS",
    "RDD_VALUES",
    "SyntheticConfig",
    "SyntheticTree",
    "TAILLARD_JOBSHOP",
    "TF_VALUES",
    "FormatError",
    "UnknownFormatError",
    "benchmarks_dir",
    "bundled",
    "bundled_names",
    "detect_format",
    "layered_rcpsp",
    "potts_vanwassenhove",
    "random_jobshop",
    "read",
    "read_kvtrace",
    "sd2_fjsp",
    "synthetic_kvtree",
    "taillard_jobs",
    "taillard_jobshop",
    "taillard_jobshop_from_seeds",
    "tardiness_classes",
    "write_kvtrace",
]

# The folder installs as schedkit.instances; a bare import would load a second copy of every module.
if __name__ != "schedkit.instances":
    raise ImportError(f"import schedkit.instances, not {__name__}")
