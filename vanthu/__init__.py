"""vanthu: structured records from Vietnamese official dispatches.

The code lives in three layers installed under this name:
``vanthu.models`` (pydantic types), ``vanthu.pipeline`` (stages) and
``vanthu.flows`` (CLI and Prefect wiring).
"""

__version__ = "0.1.0"
