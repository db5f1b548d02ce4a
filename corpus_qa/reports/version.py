"""The version of the report.json format (semantic: a new minor only adds keys).

Its own module because the baseline comparison reads it, and the gate sits below
the report writers.
"""

SCHEMA_VERSION = "1.4"
