"""Problems from other scheduling libraries' objects, when those libraries are installed.

* :func:`from_pyjobshop`: a PyJobShop ``ProblemData`` (or ``Model``);
* :func:`from_job_shop_lib`: a job-shop-lib ``JobShopInstance``.

Neither library is a dependency of schedkit: the converters read the objects'
attributes and import nothing of them. A construct schedkit's IR cannot
express (a setup time, a no-idle machine, a weighted maximum tardiness...)
raises :class:`~schedkit.instances.errors.ConversionError` naming it, rather
than being dropped.
"""

from schedkit.instances.interop.job_shop_lib import from_job_shop_lib
from schedkit.instances.interop.pyjobshop import from_pyjobshop

__all__ = ["from_job_shop_lib", "from_pyjobshop"]
