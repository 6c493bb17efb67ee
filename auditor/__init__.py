"""auditor: lint Chinese budget performance self-evaluation tables (绩效自评表)."""

__version__ = "0.1.0"
