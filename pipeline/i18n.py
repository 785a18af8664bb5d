"""Messages a user sees, in Vietnamese or English, from gettext catalogs (Babel).

The English text is the message id; ``pipeline/locale/vi/LC_MESSAGES/vanthu.po`` holds the
Vietnamese. ``tools/i18n_catalog.py`` extracts every ``_()``/``N_()``/``ngettext()`` call and
template ``{{ _() }}`` into ``pipeline/locale/vanthu.pot`` and merges it into the catalog;
``tests/test_i18n.py`` fails when a message has no Vietnamese translation.

The language is chosen once per process (:func:`set_language`, from
``Settings.lang``: ``VANTHU_LANG``, else the locale). Views that default to Vietnamese
whatever the locale (the web page, the register) ask :func:`translator` for their own.
Placeholders are ``{name}`` fields, filled after translation:
``_("cannot read {path}").format(path=p)``.

The record's own ``warnings`` are data, not interface: they stay in Vietnamese
(``pipeline.warnings``) so that a record does not change with the machine's locale.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Mapping
from pathlib import Path

DOMAIN = "vanthu"
LOCALE_DIR = Path(__file__).parent / "locale"
LANGUAGES = ("vi", "en")
DEFAULT_LANGUAGE = "en"  # where neither VANTHU_LANG nor the locale names Vietnamese
#: the locale variables, in the order gettext reads them
LOCALE_VARIABLES = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")

_active = DEFAULT_LANGUAGE


def language_of(value: str | None) -> str | None:
    """``vi``/``en`` for a language or locale name (``vi_VN.UTF-8`` → ``vi``), else None."""
    if not value:
        return None
    head = value.strip().split(":")[0].split(".")[0].split("_")[0].split("-")[0].lower()
    return head if head in LANGUAGES else None


def locale_language(env: Mapping[str, str] | None = None) -> str:
    """The language the locale asks for (``LANGUAGE``, ``LC_ALL``, ``LC_MESSAGES``,
    ``LANG``: the first one set decides), else :data:`DEFAULT_LANGUAGE`."""
    env = os.environ if env is None else env
    for name in LOCALE_VARIABLES:
        value = env.get(name)
        if value:
            return language_of(value) or DEFAULT_LANGUAGE
    return DEFAULT_LANGUAGE


@functools.cache
def catalog(lang: str) -> dict[str, str | tuple[str, ...]]:
    """msgid → translation (a tuple of plural forms for plural messages) of ``lang``;
    English is the ids themselves (empty)."""
    if lang not in LANGUAGES:
        raise ValueError(f"no catalog for language {lang!r}; known: {', '.join(LANGUAGES)}")
    path = LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
    if lang == "en" or not path.is_file():
        return {}
    from babel.messages.pofile import read_po

    with path.open("rb") as fh:
        po = read_po(fh, locale=lang, domain=DOMAIN)
    table: dict[str, str | tuple[str, ...]] = {}
    for message in po:
        if not message.id or message.fuzzy or not message.string:
            continue
        key = message.id[0] if isinstance(message.id, tuple | list) else message.id
        value = message.string
        if isinstance(value, tuple | list):
            if not all(value):
                continue
            table[key] = tuple(value)
        else:
            table[key] = value
    return table


def translator(lang: str) -> Callable[[str], str]:
    """A ``gettext`` for ``lang``, whatever the process's language."""
    table = catalog(lang)

    def gettext(message: str) -> str:
        found = table.get(message)
        if isinstance(found, tuple):
            return found[0]
        return found or message

    return gettext


def plural_translator(lang: str) -> Callable[[str, str, int], str]:
    """An ``ngettext`` for ``lang`` (Vietnamese has one form; English two)."""
    table = catalog(lang)

    def ngettext(singular: str, plural: str, n: int) -> str:
        found = table.get(singular)
        if isinstance(found, tuple):
            return found[0]
        if isinstance(found, str):
            return found
        return singular if n == 1 else plural

    return ngettext


def set_language(lang: str) -> None:
    """Make ``lang`` the language of :func:`_` in this process."""
    global _active
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; known: {', '.join(LANGUAGES)}")
    _active = lang


def language() -> str:
    return _active


def _(message: str) -> str:
    """``message`` in this process's language."""
    return translator(_active)(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return plural_translator(_active)(singular, plural, n)


def N_(message: str) -> str:
    """Marks a message for the catalog where it is defined (a constant); it is translated
    where it is shown, with :func:`_`."""
    return message
