"""corpus-qa: a quality gate for scraped news dumps."""

__version__ = "0.1.0"
