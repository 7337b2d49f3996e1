"""`python -m chatbot_watch`: see cli.py."""

import sys

from chatbot_watch.cli import main

sys.exit(main())
