"""vanthu: structured records from Vietnamese official dispatches.

The code lives in four layers installed under this name, lowest first:
``vanthu.models`` (pydantic types), ``vanthu.pipeline`` (one document to a record),
``vanthu.flows`` (ingestion: Prefect flows, inbox, task store) and the app layer in
this package (``vanthu.cli``, ``vanthu.commands``, ``vanthu.output``, ``vanthu.views`` …).
"""

__version__ = "0.1.0"
