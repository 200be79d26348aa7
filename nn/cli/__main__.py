"""``python -m nn.cli``: the ``chainrule`` command."""

import sys

from . import main

sys.exit(main())
