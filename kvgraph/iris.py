"""Minting IRIs: every IRI comes from an official number or a normalised name.

No counters, UUIDs or hashes, so the same MP, party, office or topic gets the same IRI in
every document and every run. See the IRI table in ontology/README.md.
"""

from __future__ import annotations

import re
import string
import unicodedata
from functools import lru_cache
from urllib.parse import quote

from pyoxigraph import NamedNode

_NON_SLUG = re.compile(r"[^a-z0-9]+")
# Characters allowed in IRIs that we keep as they are when making a URL safe; the rest of
# ASCII punctuation that IRIs forbid (space, <>"{}|\^`) and controls get percent-encoded.
_IRI_SAFE = "!#$%&'()*+,-./:;=?@[]_~"
# Brackets are only allowed around an IPv6 host, `#` only once; `%` only starting an escape.
_PATH_SAFE = _IRI_SAFE.replace("[]", "")
_FRAGMENT_SAFE = _PATH_SAFE.replace("#", "")
_HTTP = re.compile(r"https?://[^/?#\s][^/?#]*")  # scheme and authority
_LONE_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")
_ALWAYS_SAFE = string.ascii_letters + string.digits + "_.-~"  # what quote() never escapes


def _quote(text: str, safe: str) -> str:
    """urllib's quote(), skipped when it would change nothing: the usual URL part or document
    number has only safe characters, which one rstrip() tells at C speed."""
    return quote(text, safe=safe) if text.rstrip(_ALWAYS_SAFE + safe) else text


@lru_cache(maxsize=8192)
def slug(text: str) -> str:
    """ASCII-folded, lower-case, hyphen-separated: `Dilan Yeşilgöz-Zegerius` -> `dilan-yesilgoz-zegerius`.

    Cached: the same MPs, parties, offices and topics come back in document after document."""
    ascii_only = text if text.isascii() else _ascii_folded(text)  # most names need no folding
    return _NON_SLUG.sub("-", ascii_only.lower()).strip("-") or "x"


def _ascii_folded(text: str) -> str:
    """Accents dropped (NFKD, then no combining marks), and whatever else is not ASCII."""
    folded = unicodedata.normalize("NFKD", text)
    return "".join(c for c in folded if not unicodedata.combining(c)).encode("ascii", "ignore").decode()


@lru_cache(maxsize=1024)
def safe_url(url: str) -> str | None:
    """The URL as a valid absolute IRI (unsafe ASCII percent-encoded), or None if it is not http(s)
    or cannot be made one (a bad host or port).

    Cached: the parser checks each `Bron` URL and the mapping then makes the IRI of the same URL,
    a batch of documents (all parsed, then all mapped) apart; a URL is not worth doing twice."""
    match = _HTTP.match(url)
    if not match:
        return None
    fixed = _LONE_PERCENT.sub("%25", url)
    authority, (path, hash_, fragment) = fixed[:match.end()], fixed[match.end():].partition("#")
    made = (_quote(authority, _IRI_SAFE) + _quote(path, _PATH_SAFE) + hash_
            + _quote(fragment, _FRAGMENT_SAFE))
    try:
        NamedNode(made)  # the final word on validity: the mapping makes this very node
    except ValueError:
        return None
    return made


@lru_cache(maxsize=64)
def is_valid_base(base: str) -> bool:
    """Whether IRIs minted under `base` are valid: the minted parts are safe, so only the base can spoil them."""
    try:
        NamedNode(base + "id/x")
    except ValueError:
        return False
    return True


class Minter:
    """Builds the IRIs of one dataset under its base (`{base}id/...`)."""

    def __init__(self, base: str) -> None:
        if not is_valid_base(base):  # IRIs are plain strings from here on: nothing else would notice
            raise ValueError(f"not a valid base IRI: {base!r}")
        self.id = base + "id/"

    def kamervraag(self, zaaknummer: str) -> str:
        return f"{self.id}kamervraag/{zaaknummer}"

    def part(self, zaaknummer: str, kind: str, number: int | None = None) -> str:
        """A node that belongs to one Kamervraag: `vraag/1`, `antwoord/1`, `indiener/2`, `invoer`.

        One f-string either way: the mapping makes about twenty of these a document."""
        if number is None:
            return f"{self.id}kamervraag/{zaaknummer}/{kind}"
        return f"{self.id}kamervraag/{zaaknummer}/{kind}/{number}"

    def document(self, number: str) -> str:
        """Document numbers are official and case-sensitive (`kv-tk-2022Z04503`): kept, only escaped."""
        return f"{self.id}document/{_quote(number, '-_')}"

    def named(self, kind: str, name: str) -> str:
        """Things identified by a normalised name: `ambt`, `onderwerp`."""
        return f"{self.id}{kind}/{slug(name)}"

    def linked(self, kind: str, key: str) -> str:
        """A person, party, fractie or ministry the reference knows, by its official key (a Tweede
        Kamer GUID, a party key, a TOOI code): the same IRI however a document prints it."""
        return f"{self.id}{kind}/{key}"

    def software(self, kind: str, version: str) -> str:
        """kvgraph at one version (`software`) and the conversion it does (`conversie`), for provenance."""
        return f"{self.id}{kind}/kvgraph-{version}"

    def unlinked(self, kind: str, name: str) -> str:
        """One the reference does not know, by its printed name under `naam/`: never a key's IRI."""
        return f"{self.id}{kind}/naam/{slug(name)}"


def is_shared(iri: str) -> bool:
    """True for things many documents mention (persons, parties, offices, ministries, topics).

    What a single Kamervraag owns lives under `id/kamervraag/<zaaknummer>`, and its question and
    answer documents under `id/document/`; writers of a single graph remember what they wrote of
    the rest, to describe it once however many documents mention it. Documents are not
    remembered: one per Kamervraag, they would make that memory grow with the corpus.
    """
    return "/id/kamervraag/" not in iri and "/id/document/" not in iri
