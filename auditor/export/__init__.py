"""Columnar export (``auditor export``): the lint run as Parquet tables partitioned by year.

:mod:`auditor.export.tables` turns one linted submission into rows of the tables (the one
definition of their columns, shared with the Spark ``lint`` job); :mod:`auditor.export.parquet`
writes them with pyarrow into a folder swapped in whole. The schema is documented in docs/parquet.md.
"""
