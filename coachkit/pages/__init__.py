"""Pages: what a notebook shows to a person (a phase workbook, a dashboard, a rater form, a
report). Templates call one function here per cell; each page module builds its widgets from
forms and charts and reads and saves the practice's data only through :mod:`coachkit.services`."""
