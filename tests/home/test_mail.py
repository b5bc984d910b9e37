"""Mail through a real SMTP server on 127.0.0.1: invitations, links, reminders, failures."""

from __future__ import annotations

import re
from datetime import date

import pytest

from coachkit.assessments import approve_raters, nominate_rater
from coachkit.cli import main
from coachkit.links import link_target
from coachkit.model import Engagement, Session
from coachkit.model.feedback360 import Rater
from coachkit.model.outreach import SentMessage
from coachkit.practice import Practice
from tests.conftest import DEMO_TODAY
from tests.home.conftest import Inbox, bodies, free_port, smtp_url

Capsys = pytest.CaptureFixture[str]
CANARY = "PRIVATE-NOTE-CANARY-7f3a"
TOKEN = re.compile(r"\?token=([\w-]+)")


def _run(practice: Practice, *argv: str) -> int:
    return main(["--home", str(practice.home), *argv])


def _settings(practice: Practice) -> None:
    (practice.home / "practice.toml").write_text(
        '[home]\ntime_zone = "Europe/Berlin"\ncoach_name = "Alex Morgan"\n', encoding="utf-8"
    )


@pytest.fixture
def rosa(practice: Practice) -> str:
    """A client with four raters (three approved with addresses, one approved without, one not
    approved) and a session whose private notes hold the canary."""
    _settings(practice)
    cid = practice.add_client("Rosa Diaz", email="rosa@client.example").id
    practice.store.save_all(
        cid,
        [
            Engagement(start=date(2026, 11, 1), planned_end=date(2027, 5, 1), status="active", phase=2),
            Session(id="1", number=1, held_on=date(2026, 11, 2), private_notes=CANARY),
        ],
    )
    for name, email in (("Ada Park", "ada@ex.org"), ("Bo Lind", "bo@ex.org"), ("Cy Moss", "cy@ex.org"), ("Di No", "")):
        nominate_rater(practice.store, cid, name=name, relationship="peer", email=email, by="coach", today=DEMO_TODAY)
    nominate_rater(practice.store, cid, name="Eve Out", relationship="peer", email="eve@ex.org", today=DEMO_TODAY)
    approve_raters(
        practice.store, cid, [r.id for r in practice.store.all(cid, Rater) if r.name != "Eve Out"], today=DEMO_TODAY
    )
    return cid


def test_each_rater_gets_their_own_link_once(
    practice: Practice, rosa: str, smtp: tuple[Inbox, int], monkeypatch: pytest.MonkeyPatch, capsys: Capsys
) -> None:
    inbox, port = smtp
    inbox.clear()
    monkeypatch.setenv("COACHKIT_SMTP_URL", smtp_url(port))
    raters = {r.email: r for r in practice.store.all(rosa, Rater)}

    assert _run(practice, "raters", "invite", rosa, "--dry-run") == 0
    out = capsys.readouterr().out
    assert out.count("would send") == 3 and "eve@ex.org" not in out
    assert not inbox.messages and not practice.store.links(rosa), "a dry run sends nothing and issues no link"

    assert _run(practice, "raters", "invite", rosa) == 0
    assert capsys.readouterr().out.count("sent ") == 3
    assert sorted(m["To"].addresses[0].addr_spec for m in inbox.messages) == ["ada@ex.org", "bo@ex.org", "cy@ex.org"]
    names = {r.name for r in raters.values()}
    seen_tokens = set()
    for message in inbox.messages:
        to = message["To"].addresses[0].addr_spec
        rater = raters[to]
        text = bodies(message)
        assert message["From"].addresses[0].display_name == "Alex Morgan"
        assert {p.get_content_type() for p in message.walk()} >= {"text/plain", "text/html"}
        tokens = set(TOKEN.findall(text))
        assert len(tokens) == 1, "one link, the rater's own (the same in the text and the HTML part)"
        (token,) = tokens
        link = practice.store.resolve_link(token)
        assert link is not None and link.client_id == rosa
        target = link_target(link)
        assert target is not None and target.rater_id == rater.id and not target.is_pulse
        assert all(other not in text for other in names - {rater.name}), "no other rater is named"
        assert CANARY not in text and CANARY not in message.as_string()
        seen_tokens.add(token)
    assert len(seen_tokens) == 3
    records = {r.to: r for r in practice.store.all(rosa, SentMessage)}
    assert set(records) == {"ada@ex.org", "bo@ex.org", "cy@ex.org"}
    assert {r.message_id for r in records.values()} == {str(m["Message-ID"]) for m in inbox.messages}
    assert all(r.invited_on is not None for r in practice.store.all(rosa, Rater) if r.approved and r.email)

    assert _run(practice, "raters", "invite", rosa) == 0, "running it again sends nothing twice"
    assert capsys.readouterr().out.count("already") == 3
    assert len(inbox.messages) == 3
    valid = [link for link in practice.store.links(rosa) if link.revoked_at is None]
    assert len(valid) == 3, "one working link per invited rater"


@pytest.mark.parametrize("failure", ["refused", "bad-password", "no-server-set"])
def test_a_failure_is_one_plain_line_and_records_nothing(
    practice: Practice,
    rosa: str,
    smtp: tuple[Inbox, int],
    monkeypatch: pytest.MonkeyPatch,
    capsys: Capsys,
    failure: str,
) -> None:
    inbox, port = smtp
    inbox.clear()
    if failure == "refused":
        monkeypatch.setenv("COACHKIT_SMTP_URL", smtp_url(free_port()))
    elif failure == "bad-password":
        monkeypatch.setenv("COACHKIT_SMTP_URL", smtp_url(port, password="wrong-Pa55"))
    else:
        monkeypatch.delenv("COACHKIT_SMTP_URL", raising=False)
    assert _run(practice, "raters", "invite", rosa) == 1
    captured = capsys.readouterr()
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("coachkit: ")
    assert {
        "refused": "Could not reach",
        "bad-password": "refused the user name or password",
        "no-server-set": "COACHKIT_SMTP_URL",
    }[failure] in lines[0]
    assert "nothing was sent" in lines[0]
    assert "Pa55" not in captured.err + captured.out, "the password is never shown"
    assert "Traceback" not in captured.err
    assert not inbox.messages
    assert not practice.store.all(rosa, SentMessage)
    assert not practice.store.links(rosa), "no link is issued when nothing can be sent"


def test_remind_sends_each_reminder_once_and_obeys_switches(
    demo_practice: Practice, smtp: tuple[Inbox, int], monkeypatch: pytest.MonkeyPatch, capsys: Capsys
) -> None:
    inbox, port = smtp
    inbox.clear()
    monkeypatch.setenv("COACHKIT_SMTP_URL", smtp_url(port))
    today = DEMO_TODAY.isoformat()

    assert _run(demo_practice, "reminders", "jonas-becker", "--off", "check-ins") == 0
    assert "off: check-ins" in capsys.readouterr().out
    assert _run(demo_practice, "remind", "--today", today) == 0
    assert [m["To"].addresses[0].addr_spec for m in inbox.messages] == ["sam.ortiz@example.org"]
    sam = bodies(inbox.messages[0])
    assert "Jonas Becker" in sam and "Priya" not in sam and "Lena" not in sam and "Coach only" not in sam

    assert _run(demo_practice, "remind", "--today", today) == 0
    assert len(inbox.messages) == 1, "run again (as cron does every hour): nothing new goes"

    assert _run(demo_practice, "reminders", "jonas-becker", "--on", "check-ins") == 0
    assert _run(demo_practice, "session", "plan", "ana-ruiz", "--at", "2026-11-22 08:30", "--where", "Room 4") == 0
    assert _run(demo_practice, "reminders", "mei-tanaka", "--mute", "mei.tanaka@example.org") == 0
    capsys.readouterr()
    assert _run(demo_practice, "remind", "--today", today) == 0
    out = capsys.readouterr().out
    new = {m["To"].addresses[0].addr_spec: bodies(m) for m in inbox.messages[1:]}
    assert set(new) == {"jonas.becker@example.org", "ana.ruiz@example.org"}, out
    assert "last check-in" in new["jonas.becker@example.org"]
    assert "08:30" in new["ana.ruiz@example.org"] and "Room 4" in new["ana.ruiz@example.org"]
    assert all("Coach only" not in body for body in new.values())
    assert out.count("already") == 1

    assert _run(demo_practice, "remind", "--today", today) == 0
    assert len(inbox.messages) == 3
    assert _run(demo_practice, "remind", "--today", today, "--dry-run") == 0
    assert "would send" not in capsys.readouterr().out


def test_sponsor_links_reach_each_sponsor_with_their_own_link(
    demo_practice: Practice, smtp: tuple[Inbox, int], monkeypatch: pytest.MonkeyPatch, capsys: Capsys
) -> None:
    inbox, port = smtp
    inbox.clear()
    monkeypatch.setenv("COACHKIT_SMTP_URL", smtp_url(port))
    assert _run(demo_practice, "send", "link", "jonas-becker", "--for", "sponsor") == 0
    assert sorted(m["To"].addresses[0].addr_spec for m in inbox.messages) == ["priya@example.org", "tom.l@example.org"]
    tokens = []
    for message in inbox.messages:
        text = bodies(message)
        (token,) = set(TOKEN.findall(text))
        link = demo_practice.store.resolve_link(token)
        assert link is not None and (link.audience, link.client_id) == ("sponsor", "jonas-becker")
        assert "Coach only" not in text and "Sam Ortiz" not in text
        tokens.append(token)
    assert len(set(tokens)) == 2
    assert _run(demo_practice, "send", "link", "jonas-becker", "--for", "sponsor") == 0
    assert len(inbox.messages) == 2 and capsys.readouterr().out.count("already") == 2


@pytest.mark.kernel
def test_the_sponsor_report_goes_as_a_pdf_once(
    demo_practice: Practice, smtp: tuple[Inbox, int], monkeypatch: pytest.MonkeyPatch, capsys: Capsys
) -> None:
    inbox, port = smtp
    inbox.clear()
    monkeypatch.setenv("COACHKIT_SMTP_URL", smtp_url(port))
    argv = ("send", "report", "jonas-becker", "--audience", "sponsor", "--date", DEMO_TODAY.isoformat())
    assert _run(demo_practice, *argv) == 0, capsys.readouterr().err
    assert sorted(m["To"].addresses[0].addr_spec for m in inbox.messages) == ["priya@example.org", "tom.l@example.org"]
    for message in inbox.messages:
        (pdf,) = [p for p in message.iter_attachments() if p.get_content_type() == "application/pdf"]
        assert pdf.get_filename() == "progress-report-jonas-becker.pdf"
        assert pdf.get_content().startswith(b"%PDF")
        assert "Coach only" not in bodies(message) and "Sam Ortiz" not in bodies(message)
    capsys.readouterr()
    assert _run(demo_practice, *argv) == 0
    assert len(inbox.messages) == 2 and capsys.readouterr().out.count("already") == 2, "the same report goes once"


def test_pulse_invitations_carry_each_raters_own_pulse_link(
    demo_practice: Practice, smtp: tuple[Inbox, int], monkeypatch: pytest.MonkeyPatch, capsys: Capsys
) -> None:
    inbox, port = smtp
    inbox.clear()
    monkeypatch.setenv("COACHKIT_SMTP_URL", smtp_url(port))
    raters = {r.email: r for r in demo_practice.store.all("jonas-becker", Rater)}
    assert _run(demo_practice, "pulse", "invite", "jonas-becker", "mid") == 0
    assert len(inbox.messages) == 4
    for message in inbox.messages:
        rater = raters[message["To"].addresses[0].addr_spec]
        text = bodies(message)
        (token,) = set(TOKEN.findall(text))
        link = demo_practice.store.resolve_link(token)
        assert link is not None
        target = link_target(link)
        assert target is not None and (target.rater_id, target.round_id) == (rater.id, "mid")
        assert all(other.name not in text for other in raters.values() if other.id != rater.id)
    assert _run(demo_practice, "pulse", "invite", "jonas-becker", "nope") == 1
    assert "No pulse round 'nope'" in capsys.readouterr().err
