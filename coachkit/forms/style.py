"""Form styling for a shared screen: no label is ever cut.

ipywidgets gives every description a fixed width and cuts what does not fit with an ellipsis
("Manag…", "Very Inaccur…"). These rules let labels, check boxes and option buttons wrap or
grow instead, so the whole text is always on screen. Fixed text only: never client text.
"""

from __future__ import annotations

LABEL_CSS = """<style>
.coachkit-form .widget-label, .coachkit-form .widget-label-basic, .coachkit-form .widget-label-basic span,
.coachkit-summary .widget-label {
  white-space: normal !important; overflow: visible !important; text-overflow: clip !important;
  overflow-wrap: anywhere; height: auto !important; line-height: 1.3 !important; }
.coachkit-form .widget-inline-hbox { height: auto !important; min-height: var(--jp-widgets-inline-height);
  align-items: center; }
.coachkit-form .widget-checkbox { width: auto !important; max-width: 100%; }
.coachkit-form .widget-checkbox .widget-label-basic { flex: 1 1 auto; }
.coachkit-form .widget-toggle-buttons { flex-wrap: wrap; height: auto !important; }
.coachkit-form .widget-toggle-buttons .widget-toggle-button, .coachkit-form .widget-button,
.coachkit-form .jupyter-button {
  width: auto !important; min-width: 56px; max-width: 100%; height: auto !important;
  min-height: var(--jp-widgets-inline-height); white-space: normal !important; overflow: visible !important;
  text-overflow: clip !important; line-height: 1.25 !important; padding: 4px 10px; }
.coachkit-form select, .coachkit-form .widget-dropdown select { text-overflow: clip; }
</style>"""
"""Appended to the page style by every workbook's header."""
