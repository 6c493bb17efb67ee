"""National scale on Spark: the CLI's lint and the clone index's clusters over a whole archive.

PySpark is the optional extra ``auditor[spark]``; nothing here is imported by the other commands.
Jobs (each a function of a SparkSession, run in-process in local mode or by ``spark-submit`` through
:mod:`auditor.distributed.main`):

* :mod:`~auditor.distributed.lint`: files → the export's tables (:mod:`auditor.export.tables`), with
  the CLI's readers and rules, one partition of files per task;
* :mod:`~auditor.distributed.clones`: the ``indicators`` table → distinct normalised texts → the
  index's MinHash bands (:mod:`auditor.index.lsh`, in pandas UDFs) → confirmed pairs → connected
  components (large-star/small-star over DataFrames) → clusters;
* :mod:`~auditor.distributed.index_export`: one unit's part of the national norms/bands as an
  SQLite index for ``auditor lint --index``.
"""
