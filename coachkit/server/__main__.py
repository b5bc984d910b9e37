"""``python -m coachkit.server``: the server process started by :func:`coachkit.server.start_server`."""

import sys

from coachkit.server.app import main

sys.exit(main())
