"""Reports: each renders a finished run; none recomputes a check."""
