"""The coach's practice home: what is due across the practice, the schedule, calendar files,
e-mail through the coach's own server, reminders, and the agreement's starter text.

One verb per question, used by the CLI (:mod:`coachkit.cli.home`) and the practice notebook:

- :func:`coachkit.home.agenda.build_agenda`: everything due, as typed items.
- :mod:`coachkit.home.schedule`: plan, move and cancel sessions (times kept in UTC).
- :func:`coachkit.home.calendar_ics.practice_calendar`: an RFC 5545 calendar.
- :mod:`coachkit.home.mail` and :mod:`coachkit.home.outbox`: messages, sent once and recorded.
- :func:`coachkit.home.remind.due_reminders`: the reminders that are due now.
- :func:`coachkit.home.starter.starter_agreement`: a new agreement from the practice's template.
"""
