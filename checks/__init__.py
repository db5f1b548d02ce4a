"""The checks catalog: one module per defect family, plus the default policy."""
