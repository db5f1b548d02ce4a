"""The metrics history (``--history``): one DuckDB file of every run's metrics, the
anomaly rules judged against it, and ``corpus-qa history``. See docs/history.md."""
