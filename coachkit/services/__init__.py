"""The service layer: the one door to the store for pages, forms' callbacks and the CLI.

Each function says what a page or a command does (``engagements.load(practice, client_id)``,
``assessments.nominate_rater(practice, ...)``, ``home.agenda(practice, ...)``) and takes the
open :class:`~coachkit.practice.Practice`; none of its callers reaches ``practice.store`` or
imports :mod:`coachkit.store` (import-linter and ``tests/test_project.py`` check it).

- :mod:`~coachkit.services.clients`: the roster and the clients' ids and phases.
- :mod:`~coachkit.services.engagements`: one client's case file, read and saved.
- :mod:`~coachkit.services.assessments`: the 360, the IPIP-50 and pulse rounds.
- :mod:`~coachkit.services.home`: the agenda, the calendar, planning sessions, mail and reminders.
- :mod:`~coachkit.services.visits`: what a page served by private link opens and checks.
- :mod:`~coachkit.services.reports`: what a report reads.
- :mod:`~coachkit.services.binding`: a library verb over the store, bound to the practice.

Links issued by the coach (:mod:`coachkit.links`), export, import, erasure and backups
(:mod:`coachkit.portability`) and the demo (:mod:`coachkit.demo`) already take a practice and
are called as they are.
"""
