"""Spark sessions for creditkit: what it needs (pyspark, Java), and a local session.

creditkit runs its pandas functions inside Spark (``applyInPandas``), so a
session needs three things, checked here with an error that names the fix:

- **pyspark** (the ``spark`` extra: ``pip install 'creditkit[spark]'``);
- **a Java runtime** (Spark is a JVM program): ``JAVA_HOME`` or ``java`` on
  the ``PATH``; on Debian ``apt-get install default-jre-headless``;
- **the same Python on the executors** as on the driver, with creditkit and
  pandas installed: :func:`session_config` sets ``spark.pyspark.python`` to
  the driver's interpreter, which is right in local mode; on a cluster, ship
  an environment with creditkit (a conda-pack or venv archive, or an image)
  and point ``spark.pyspark.python`` at it.

:func:`local_session` is for a laptop or CI (``local[cores]``, UI off, Arrow
on, a few shuffle partitions). On a cluster only the session changes: build
it with ``SparkSession.builder.master(...)`` (or let ``spark-submit`` do it)
and the same creditkit calls run unchanged.
"""

from __future__ import annotations

import os
import shutil
import sys
import warnings
from collections.abc import Mapping
from contextlib import contextmanager
from typing import Any

from creditkit.exceptions import CreditkitError

__all__ = ["SparkUnavailableError", "local_session", "quiet", "require_spark", "session_config"]

#: pyspark warns that it "does not yet fully support pandas >= 3" on every conversion;
#: creditkit passes only plain int64, float64, string and date columns through Arrow,
#: which it checks in its tests, so the warning is silenced around creditkit's calls.
_PANDAS_WARNING = "PySpark does not yet fully support pandas"


class SparkUnavailableError(CreditkitError, RuntimeError):
    """Spark cannot run here: pyspark or a Java runtime is missing."""


def java_home() -> str | None:
    """The Java runtime Spark will start: ``JAVA_HOME`` if it holds ``bin/java``, else ``java``
    on the ``PATH``; ``None`` when there is none."""
    home = os.environ.get("JAVA_HOME")
    if home and os.access(os.path.join(home, "bin", "java"), os.X_OK):
        return home
    found = shutil.which("java")
    return os.path.dirname(os.path.dirname(os.path.realpath(found))) if found else None


def require_spark() -> Any:
    """Import pyspark, checking that Spark can start; returns the ``pyspark`` module.

    Returns
    -------
    module
        ``pyspark``.

    Raises
    ------
    SparkUnavailableError
        pyspark is not installed (install the ``spark`` extra), or no Java
        runtime is found (install one or set ``JAVA_HOME``).

    Examples
    --------
    >>> try:
    ...     pyspark = require_spark()
    ... except SparkUnavailableError as e:
    ...     print(type(e).__name__)  # no pyspark or no Java here
    ... else:
    ...     print(hasattr(pyspark, "sql"))
    True
    """
    try:
        import pyspark
        import pyspark.sql
    except ImportError as e:
        raise SparkUnavailableError(
            "pyspark is not installed, so creditkit cannot run on Spark; install the extra: "
            "pip install 'creditkit[spark]' (or pip install 'pyspark>=3.5')") from e
    if java_home() is None:
        raise SparkUnavailableError(
            "no Java runtime found for Spark (JAVA_HOME unset and no java on the PATH); "
            "install one (Debian/Ubuntu: sudo apt-get install -y default-jre-headless) or set "
            "JAVA_HOME to a JDK/JRE 17 or later")
    return pyspark


def session_config(*, shuffle_partitions: int = 4, ui: bool = False) -> dict[str, str]:
    """The settings creditkit's Spark functions rely on, as ``SparkSession.builder.config`` pairs.

    Parameters
    ----------
    shuffle_partitions : int, default 4
        ``spark.sql.shuffle.partitions``: also the default number of customer
        partitions of creditkit's functions. Small on a laptop; on a cluster
        a few times the executor cores, so that each pandas call holds a
        slice of the customers that fits an executor's memory.
    ui : bool, default False
        Start the Spark web UI.

    Returns
    -------
    dict
        Arrow on (how rows reach pandas), the session time zone UTC (so a
        timestamp column reads back as the same calendar day), and the
        executors' Python = this interpreter (right in local mode; on a
        cluster set it to the shipped environment's Python instead).

    Raises
    ------
    ParameterError
        ``shuffle_partitions`` not a positive int.

    Examples
    --------
    >>> session_config()["spark.sql.execution.arrow.pyspark.enabled"]
    'true'
    """
    from creditkit.exceptions import ParameterError

    if isinstance(shuffle_partitions, bool) or not isinstance(shuffle_partitions, int) \
            or shuffle_partitions < 1:
        raise ParameterError(f"shuffle_partitions must be a positive int; got "
                             f"{shuffle_partitions!r}")
    return {
        "spark.sql.execution.arrow.pyspark.enabled": "true",
        "spark.sql.execution.arrow.pyspark.fallback.enabled": "false",
        "spark.sql.shuffle.partitions": str(shuffle_partitions),
        "spark.sql.session.timeZone": "UTC",
        "spark.ui.enabled": "true" if ui else "false",
        "spark.ui.showConsoleProgress": "false",
        "spark.pyspark.python": sys.executable,
        "spark.pyspark.driver.python": sys.executable,
    }


def local_session(cores: int = 2, *, app_name: str = "creditkit", memory: str = "2g",
                  config: Mapping[str, str] | None = None) -> Any:
    """A local Spark session (``local[cores]``) set up for creditkit.

    Parameters
    ----------
    cores : int, default 2
        Worker threads (``local[cores]``).
    app_name : str, default "creditkit"
    memory : str, default "2g"
        Driver memory (in local mode the executors live in the driver's JVM).
    config : mapping, optional
        More ``spark.*`` settings, applied last (they win over
        :func:`session_config`).

    Returns
    -------
    pyspark.sql.SparkSession
        A new session, or the active one (``getOrCreate``) with these settings.

    Raises
    ------
    SparkUnavailableError
        pyspark or Java missing (see :func:`require_spark`).
    ParameterError
        ``cores`` not a positive int.

    Examples
    --------
    >>> from creditkit.spark import local_session
    >>> spark = local_session(2)  # doctest: +SKIP
    >>> spark.range(3).count()  # doctest: +SKIP
    3
    """
    from creditkit.exceptions import ParameterError

    if isinstance(cores, bool) or not isinstance(cores, int) or cores < 1:
        raise ParameterError(f"cores must be a positive int; got {cores!r}")
    require_spark()
    from pyspark.sql import SparkSession

    # the Python workers start from the JVM's environment: point them at this interpreter
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    builder = SparkSession.builder.master(f"local[{cores}]").appName(app_name)
    settings = {**session_config(), "spark.driver.memory": memory, **dict(config or {})}
    for key, value in settings.items():
        builder = builder.config(key, value)
    with quiet():
        spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    return spark


@contextmanager
def quiet():
    """Silence pyspark's warning about pandas 3 (creditkit passes only plain dtypes).

    Examples
    --------
    >>> with quiet():
    ...     pass
    """
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=_PANDAS_WARNING, category=FutureWarning)
        # pyspark's Arrow conversion passes copy= to pandas 3, which deprecates it
        warnings.filterwarnings("ignore", message="The copy keyword is deprecated")
        yield
