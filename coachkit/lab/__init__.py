"""JupyterLab made for a screen share: what ``coachkit lab`` starts.

- :mod:`coachkit.lab.launch` builds the command: JupyterLab on the practice's workbooks, with
  coachkit's own settings folder (no news prompt, no update check, no "leave page?" dialog), the
  user's settings and workspaces kept inside the practice, coachkit's lab extension loaded, and
  the contents manager below.
- :mod:`coachkit.lab.contents` keeps widget views that can only be dead out of every opened or
  saved notebook, putting a plain sentence in their place until the workbook runs.
- ``labextensions/coachkit-lab`` is the lab extension: a workbook runs when it opens (so its
  forms are live and filled with what is saved), and a form whose kernel is not running is
  dimmed with a sentence that says what to do.
"""
