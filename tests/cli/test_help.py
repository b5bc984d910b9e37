"""Every command, and every argument and option of every command, says what it is for."""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from datetime import date

import pytest

from coachkit.cli import build_parser
from coachkit.forms.feedback360 import pulse_round_form
from coachkit.model.feedback360 import Rater
from coachkit.model.pulse import PulseRound
from coachkit.practice import Practice


def _commands(parser: argparse.ArgumentParser, path: str = "coachkit") -> Iterator[tuple[str, argparse.ArgumentParser]]:
    yield path, parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from _commands(sub, f"{path} {name}")


COMMANDS = dict(_commands(build_parser()))


def test_the_walk_reaches_every_command() -> None:
    for command in ("coachkit client add", "coachkit link", "coachkit raters links", "coachkit pulse links"):
        assert command in COMMANDS
    assert len(COMMANDS) > 20


@pytest.mark.parametrize("path", sorted(COMMANDS))
def test_every_option_and_argument_has_help(path: str) -> None:
    parser = COMMANDS[path]
    assert parser.description, f"`{path}` has no description"
    missing = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for choice in action._choices_actions:  # each sub-command's line in the listing
                if not (choice.help or "").strip():
                    missing.append(choice.dest)
            continue
        if action.help == argparse.SUPPRESS:
            continue
        if not (action.help or "").strip():
            missing.append("/".join(action.option_strings) or action.metavar or action.dest)
    assert not missing, f"`{path}`: no help text for {', '.join(str(m) for m in missing)}"


def test_help_shows_the_client_add_options_with_their_meaning(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        build_parser().parse_args(["client", "add", "--help"])
    assert exit_.value.code == 0
    out = " ".join(capsys.readouterr().out.split())
    for words in ("--email", "e-mail address", "--organisation", "--force", "same name or e-mail"):
        assert words in out


def test_the_pulse_confirmation_quotes_the_command_with_real_values(demo_practice: Practice) -> None:
    file = demo_practice.store.load("jonas-becker")
    opened: list[PulseRound] = []
    raters = [r for r in file.all(Rater) if r.approved]
    form = pulse_round_form(file.goals, raters, opened.append, date(2026, 12, 1), client_id="jonas-becker")
    for r in raters:
        form[f"rater:{r.id}"].widget.value = True
    form.button.click()
    assert opened, form.status.value
    assert f"`coachkit pulse links jonas-becker {opened[0].id}`" in form.status.value
    assert "CLIENT" not in form.status.value
