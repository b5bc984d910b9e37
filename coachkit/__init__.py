"""coachkit: a self-hosted workbook for executive coaching on the Jupyter stack."""

from coachkit.errors import CoachkitError, Conflict, NotFound, StoreError, ValidationError
from coachkit.portability import backup, erase_client, export_client, import_client, restore
from coachkit.practice import Practice, init_practice, open_practice

__version__ = "0.1.0"

__all__ = [
    "CoachkitError",
    "Conflict",
    "NotFound",
    "Practice",
    "StoreError",
    "ValidationError",
    "__version__",
    "backup",
    "erase_client",
    "export_client",
    "import_client",
    "init_practice",
    "open_practice",
    "restore",
]
