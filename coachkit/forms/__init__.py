"""ipywidgets forms: they take domain records in and hand validated ones to a save callback."""

from coachkit.forms.base import Field, Form, notice

__all__ = ["Field", "Form", "notice"]
