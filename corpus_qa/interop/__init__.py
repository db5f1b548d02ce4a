"""Interop with Great Expectations and Pandera: export the gate, cross-check with GX.

Nothing here is imported by a plain ``corpus-qa check``: Great Expectations is
slow to import, so :mod:`corpus_qa.interop.gx_run` imports it inside the functions
that need it, and only ``export gx`` and ``check --gx`` reach them.
"""
