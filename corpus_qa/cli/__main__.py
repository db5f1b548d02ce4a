"""``python -m corpus_qa.cli``: the ``corpus-qa`` program."""

import sys

from corpus_qa.cli.main import main

sys.exit(main())
