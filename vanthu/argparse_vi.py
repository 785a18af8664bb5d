"""argparse's own words ("usage:", "the following arguments are required: …") in the
process's language.

argparse translates its messages through its module-global ``_`` and ``ngettext`` (the
``gettext`` functions it imported). :func:`use_language` points them at our catalog, where
the ids below (argparse's own, to the letter) have their Vietnamese; English puts
argparse's own functions back. The parser must be built after it (its help texts and
group titles are translated when they are made).
"""

from __future__ import annotations

import argparse
import gettext

from vanthu.pipeline.i18n import N_, set_language, translator

#: argparse's messages a user meets (Python 3.11 to 3.13), exactly as argparse writes them.
ARGPARSE_MESSAGES = (
    N_("usage: "),
    N_("positional arguments"),
    N_("options"),
    N_("show this help message and exit"),
    N_("show program's version number and exit"),
    N_("%(prog)s: error: %(message)s\n"),
    N_("argument %(argument_name)s: %(message)s"),
    N_("the following arguments are required: %s"),
    N_("one of the arguments %s is required"),
    N_("unrecognized arguments: %s"),
    N_("not allowed with argument %s"),
    N_("ignored explicit argument %r"),
    N_("expected one argument"),
    N_("expected at most one argument"),
    N_("expected at least one argument"),
    N_("expected %s argument"),
    N_("expected %s arguments"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
    N_("unexpected option string: %s"),
    N_("invalid %(type)s value: %(value)r"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("can't open '%(filename)s': %(error)s"),
    N_("subcommands"),
)

_ORIGINAL = (gettext.gettext, gettext.ngettext)


def install(lang: str) -> None:
    """argparse's messages in ``lang`` from now on (in this process)."""
    if lang == "en":
        argparse._, argparse.ngettext = _ORIGINAL  # type: ignore[attr-defined]
        return
    words = translator(lang)

    def _gettext(message: str) -> str:
        return words(message) if message else message

    def _ngettext(singular: str, plural: str, n: int) -> str:
        return words(singular if n == 1 else plural)

    argparse._ = _gettext  # type: ignore[attr-defined]
    argparse.ngettext = _ngettext  # type: ignore[attr-defined]


def use_language(lang: str) -> None:
    """``lang`` for the process's messages and for argparse's own."""
    set_language(lang)
    install(lang)
