"""A seeded generator of synthetic Kamervraag corpora in the text format of FORMAT.md, for benchmarks.

Every document is first planned as a `Plan` (the facts the generator intends: dates, persons,
topics, questions, answers, notices, footer numbers, byte layout) and then rendered to text, so
tests can compare what kvgraph parses with what was meant. Everything comes from one
`random.Random(seed)`: the same seed gives the same bytes on every run and machine.

    python benchmarks/generate.py --count 100000 --seed 1 --out /tmp/corpus100k

Files go to `<out>/<year>/<zaaknummer>.txt`. A year with more than 1000 documents (only at
large counts: 18 years of 1000 is 18k documents) is split further by the thousands of the
zaaknummer, `<out>/<year>/<YYYYZnn>/<zaaknummer>.txt`, so no folder holds more than 1000 files.

What varies, roughly as often as in the real corpus: ~15% unanswered documents (no Beantwoord,
Beantwoord door, Bron antwoord or answer footer, no blank lines between vragen); 1-3 submitters
and 1-3 answerers (with roles, stray-space roles, no party, bare surnames); 0-5 OWMS topics
(sometimes an empty `Onderwerpen` line); footnotes in ~20% of documents; 1-15 vragen; answers
of 1-6 lines (some starting `2020: ` or `1. `); combined answers `Zie antwoord vraag N.`;
unanswered vragen inside answered documents; postponement notices; non-breaking spaces, en
dashes, nested «quotes», curly quotes, euro amounts; 1- or 2-space bullet indentation; a few
files with CRLF line ends or a UTF-8 BOM; some with a final newline.
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from random import Random

ROOT = Path(__file__).resolve().parent.parent
THEMES_CSV = ROOT / "kvgraph" / "data" / "owms-themes.csv"

FIRST_YEAR, LAST_YEAR = 2008, 2025
FOLDER_LIMIT = 1000
MONTHS = "januari februari maart april mei juni juli augustus september oktober november december".split()
NBSP = "\u00a0"
BULLET = "\u2022"

# ---------------------------------------------------------------------------------------------
# Vocabulary
# ---------------------------------------------------------------------------------------------

FIRST_NAMES = """
Sjoerd Hanneke Dilan Corrie Lisa Habtamu Mirjam Hatte Peter Paul Inge Pieter Christine Sarah
Daniëlle Kati Jan Jesse Henk Gunay Robbert Maarten Franc Sigrid Aukje Carola Conny Mark Dick
Caspar Wopke Vivianne Fleur Geert Sophie Joost Rob Kees Femke Jesse Tunahan Stephan Laurens
Attje Roelof Chris Joba Derk Lilianne Hülya Barış Özlem Ümit Gülşen Şebnem Çiğdem Zoë Noël
Renée José Chloë Anaïs Frédérique Hélène Thérèse Joël Michiel Hanke Jasper Ingrid Wieke Liane
Bart Marieke Thierry Gidi Lammert Eline Songül Salima Farid Ahmed Fatma Nevin Hüseyin Emre
Anne Annemarie Wybren Tjeerd Sietse Folkert Marijke Ria Ine Agnes Machiel Wim Kirsten Pim
Rens Luc Bas Thom Sander Ruud Evert Gert-Jan Jan-Willem Anne-Marie Marie-Louise Hans Harry
Jeroen Ronald Erik Mona Nilüfer Kiki Lieke Rosanne Sylvana Tamara Judith Nicki Pia Faissal
Rudmer Hester Jorien Esmah Cem Ilana Leonie Reinette Jacqueline Mustafa Mahir Zülal Günay
""".split()

PARTICLES = ("van", "van der", "de", "ter", "van den", "in 't", "den", "van de", "te")

SURNAMES = """
Sjoerdsma Werf Yeşilgöz-Zegerius Brenk Westerveld Hoop Bikker Woude Kwint Meenen Dijk Omtzigt
Teunissen Dobbe Jansen Piri Paternotte Dassen Dijkstra Vermeer Uslu Dijkgraaf Ooijen Weerwind
Kaag Vries Schouten Helder Harbers Schoof Veldkamp Hoekstra Heijnen Agema Bruijn Öztürk Koç
Şahin Günaydın Kılıç Ünal Çelik Müller Brüning Hoëvenaars Schäfer Geluk Bosman Bakker Visser
Smit Meijer Mulder Bos Vos Peters Hendriks Dekker Brouwer Wit Dijkman Graaf Kok Jacobs Haan
Vermeulen Berg Heuvel Veen Wal Laan Bergen Boer Hermans Koster Prins Huisman Kuipers Leeuwen
Postma Maas Veenstra Kramer Scholten Willems Groot Vink Linden Hoek Evers Timmermans Driessen
Sanders Verbeek Wouters Lambregts Verhoeven Koopman Stoffels Zwart Gerritsen Hofman Brink
Kuiken Ellian Eerdmans Stoffer Flach Wilders Markuszower Azarkan Kuzu Ouwehand Thijssen Klaver
Segers Heerma Asscher Ploumen Marijnissen Leijten Krol Ongun Ahmed Sörensen Bontenbal Zwinkels
Hertzberger Mutluer Gündoğan Tielen Pouw-Verweij Wuite Slagt-Tichelman Kröger Boswijk Rooijen
Gijs Aartsen Grinwis Holman Sneller Boulakjar Bromet Raan Haga Hagen Jetten Simons Tseggai
Wörsdörfer Kostić Nijboer Bouchallikh Ceder Vijlbrief Gräper Hoogeveen Beckerman Léon Tuinman
Élise Mohandis Dölle Ruër Vliet Dongen Campen Sterk Jasper Joosten Emiel Neijenhuis Kisteman
""".split()

# name -> years in which the party existed in the Tweede Kamer (for who can be a submitter when)
PARTIES = {
    "VVD": (2008, 2025, 14), "D66": (2008, 2025, 10), "PVV": (2008, 2025, 10), "CDA": (2008, 2025, 9),
    "SP": (2008, 2025, 8), "PvdA": (2008, 2023, 8), "GL": (2008, 2023, 7), "GroenLinks-PvdA": (2023, 2025, 8),
    "CU": (2008, 2025, 4), "SGP": (2008, 2025, 3), "DENK": (2015, 2025, 3), "PvdD": (2008, 2025, 4),
    "50PLUS": (2012, 2023, 2), "BBB": (2019, 2025, 3), "NSC": (2023, 2025, 5), "JA21": (2021, 2025, 2),
    "Volt": (2021, 2025, 2), "FvD": (2017, 2025, 2),
}

# (first year, last year, coalition parties) of the cabinets; answerers come from the cabinet
# in office in the year of the answer (or of the submission when there is none).
CABINETS = (
    (2008, 2010, ("CDA", "PvdA", "CU")),
    (2010, 2012, ("VVD", "CDA")),
    (2012, 2017, ("VVD", "PvdA")),
    (2017, 2022, ("VVD", "CDA", "D66", "CU")),
    (2022, 2024, ("VVD", "D66", "CDA", "CU")),
    (2024, 2026, ("PVV", "VVD", "NSC", "BBB")),
)

MINISTRIES = (
    "algemene zaken", "binnenlandse zaken en koninkrijksrelaties", "buitenlandse zaken", "defensie",
    "economische zaken en klimaat", "financiën", "infrastructuur en waterstaat", "justitie en veiligheid",
    "landbouw, natuur en voedselkwaliteit", "onderwijs, cultuur en wetenschap", "sociale zaken en werkgelegenheid",
    "volksgezondheid, welzijn en sport", "klimaat en groene groei", "asiel en migratie",
    "volkshuisvesting en ruimtelijke ordening",
)

# Top-level OWMS theme -> the ministries most likely to answer about it.
THEME_MINISTRIES = {
    "bestuur": ("binnenlandse zaken en koninkrijksrelaties", "algemene zaken"),
    "cultuur en recreatie": ("onderwijs, cultuur en wetenschap",),
    "economie": ("economische zaken en klimaat", "financiën"),
    "financiën": ("financiën",),
    "huisvesting": ("binnenlandse zaken en koninkrijksrelaties", "volkshuisvesting en ruimtelijke ordening"),
    "internationaal": ("buitenlandse zaken", "defensie"),
    "landbouw": ("landbouw, natuur en voedselkwaliteit",),
    "migratie en integratie": ("justitie en veiligheid", "asiel en migratie"),
    "natuur en milieu": ("infrastructuur en waterstaat", "landbouw, natuur en voedselkwaliteit", "klimaat en groene groei"),
    "onderwijs en wetenschap": ("onderwijs, cultuur en wetenschap",),
    "openbare orde en veiligheid": ("justitie en veiligheid",),
    "recht": ("justitie en veiligheid",),
    "ruimte en infrastructuur": ("infrastructuur en waterstaat",),
    "sociale zekerheid": ("sociale zaken en werkgelegenheid",),
    "verkeer": ("infrastructuur en waterstaat",),
    "werk": ("sociale zaken en werkgelegenheid",),
    "zorg en gezondheid": ("volksgezondheid, welzijn en sport",),
}

SUBJECTS = (
    "Het kabinet", "Ik", "De minister", "De staatssecretaris", "De inspectie", "Het ministerie", "De gemeenten",
    "De toezichthouder", "Rijkswaterstaat", "De Nederlandse Voedsel- en Warenautoriteit (NVWA)", "Het CBS",
    "De Autoriteit Persoonsgegevens", "Dienst Toeslagen", "De politie", "Het Openbaar Ministerie", "DUO",
    "De veiligheidsregio’s", "Zorgverzekeraars Nederland", "De Inspectie Gezondheidszorg en Jeugd (IGJ)",
    "Het UWV", "De Belastingdienst", "ProRail", "De provincies", "De waterschappen", "Het RIVM",
    "De Raad van State", "Het Centraal Planbureau", "De Onderwijsinspectie", "Het COA", "De IND",
)
THIRD_PERSON_SUBJECTS = tuple(s for s in SUBJECTS if s != "Ik")
VERBS = (
    "heeft in {year} een onderzoek laten uitvoeren naar", "is in gesprek met de betrokken partijen over",
    "ziet op dit moment geen aanleiding tot aanvullende maatregelen ten aanzien van", "werkt aan een wetsvoorstel over",
    "monitort nauwgezet", "heeft uw Kamer op {day} eerder geïnformeerd over", "deelt de zorgen over",
    "verwacht voor de zomer meer duidelijkheid te hebben over", "heeft geen signalen ontvangen over",
    "houdt toezicht op", "evalueert in {year} de regeling voor", "betrekt de uitkomsten bij de besluitvorming over",
    "ontvangt jaarlijks cijfers over", "heeft afspraken gemaakt over", "is niet verantwoordelijk voor",
    "financiert met ingang van {year}", "erkent het belang van", "onderzoekt samen met de VNG",
)
OBJECTS = (
    "de wachttijden in de jeugdzorg", "de uitvoering van de regeling", "de gevolgen voor ouders met een laag inkomen",
    "de veiligheid van het spoor", "het tekort aan huisartsen", "de terugvorderingen van toeslagen",
    "de stikstofuitstoot van de veehouderij", "de instroom van internationale studenten", "de capaciteit van de opvang",
    "de bereikbaarheid van de regio", "de handhaving van de Drank- en Horecawet", "de beschikbaarheid van geneesmiddelen",
    "de financiële positie van gemeenten", "de energierekening van huishoudens", "de bescherming van persoonsgegevens",
    "de kwaliteit van het drinkwater", "de werkdruk in het onderwijs", "de digitale weerbaarheid van de overheid",
    "de uitvoering van de Omgevingswet", "de inzet van de krijgsmacht in het buitenland", "de positie van mantelzorgers",
    "de afhandeling van schademeldingen in Groningen", "de woningbouw in Súdwest-Fryslân", "de exportkredietverzekering",
    "de samenwerking met België en Duitsland", "de wederopbouw van Oekraïne", "de positie van patiënten",
    "de toegankelijkheid van het openbaar vervoer", "de regels voor kinderopvang", "de aanpak van ondermijning",
)
TAILS = (
    "", "", "", "", " in de regio", f" zoals toegezegd tijdens het commissiedebat van 9{NBSP}maart",
    " (Kamerstuk 31 839, nr. 912)", ", waarover ik uw Kamer voor de zomer nader informeer", " in de periode 2022–2023",
    " – en dat is een belangrijk punt – in nauw overleg met de sector", ", mede naar aanleiding van de motie-Bikker",
    " in het kader van het programma «Samen sterker»", ", zoals ook de Raad van State in zijn advies opmerkt",
    " voor zover dat binnen de bestaande kaders mogelijk is", " met een budget van € 3,1 miljard",
    f" ter hoogte van €{NBSP}1.000 per huishouden", " via het Stimuleringsfonds voor de Journalistiek",
)
FACTS = (
    "In {year} ging het om circa € {amount} miljoen.", "Het gaat om ruim {count} huishoudens.",
    "Dat is {pct} procent meer dan in {prev}.", "Het totale bedrag bedraagt circa € {small},{digit} miljard.",
    "Van hen ontving ongeveer {pct} procent een terugvordering van meer dan €{nbsp}1.000.",
    "Op {day} jl. is hierover een brief aan uw Kamer gestuurd.", "Ja.", "Nee.",
    "Die cijfers zijn niet beschikbaar.", "Daar ben ik mee bekend.",
    "Dat beeld herken ik niet.", "Het CBS publiceert deze cijfers jaarlijks in de «Monitor {year}».",
    "De precieze aantallen worden niet centraal geregistreerd.", "Het antwoord is ‘nee’, zoals eerder gemeld.",
    "De uitkomsten volgen in het voorjaar van {next}.", "Dat is niet aan mij, maar aan de betrokken gemeenten.",
)
BAREQUESTIONS = (
    "Kunt u deze vragen afzonderlijk beantwoorden?",
    "Kunt u deze vragen één voor één beantwoorden vóór het commissiedebat {debate}?",
    "Kunt u deze vragen beantwoorden vóór de behandeling van de begroting voor {next}?",
    "Bent u bereid deze vragen binnen de gebruikelijke termijn van drie weken te beantwoorden?",
)
QUESTION_STARTS = (
    "Bent u bekend met het bericht {quote}?", "Kent u het bericht {quote}?",
    "Wat is uw reactie op het bericht {quote}?", "Heeft u kennisgenomen van het artikel {quote}?",
    "Hoeveel mensen hebben in {year} te maken gehad met {object}?", "Hoe verhoudt dit zich tot {prev}?",
    "Deelt u de mening dat {object} {verdict}?",
    "Klopt het dat {subject_lc} {verb} {object}? Zo ja, waarom? Zo nee, hoe zit het dan?",
    "Bent u bereid om met {party_org} in gesprek te gaan over {object}?", "Welke maatregelen neemt u om {object} te verbeteren?",
    "Wanneer ontvangt de Kamer de aangekondigde brief over {object}?",
    "Waarom is er niet eerder ingegrepen bij {object}, ondanks de waarschuwingen van {party_org}?",
    "In hoeverre heeft u bilateraal dan wel multilateraal contact over {object}?",
    "Erkent u dat {object} ertoe leidt dat ‘kleine fouten’ grote gevolgen hebben?",
    "Welke gevolgen heeft {object} voor inwoners van Groningen, Friesland en Drenthe, en hoe verhoudt dit zich tot 2019–2020?",
    "Hoe vaak heeft {subject_lc} in de afgelopen vijf jaar een boete opgelegd in verband met {object}?",
)
VERDICTS = ("onacceptabel is", "sneller moet worden aangepakt", "een structurele oplossing verdient",
            "niet ten koste mag gaan van de regio")
ORGS = ("de VNG", "de Landelijke Huisartsen Vereniging (LHV)", "Zorgverzekeraars Nederland", "de KNMP", "de ouderenbonden",
        "de Fraudehelpdesk", "de Nederlandse Vereniging van Banken", "het IPO", "de Unie van Waterschappen", "de FNV")
HEADLINES = (
    "Recordaantal meldingen van WhatsApp-fraude: vooral 65-plussers de dupe", "Universiteiten willen rem op instroom",
    "Wachtlijsten jeugdzorg lopen verder op", "Steeds meer Friezen zonder vaste huisarts",
    "Ouders moeten duizenden euro’s kinderopvangtoeslag terugbetalen", "Maas bereikt hoogste stand sinds 1995",
    "Regionale omroepen slaan alarm: ‘Zonder extra geld verdwijnt de lokale journalistiek’",
    "Boeren vrezen «Brussels stikstofdictaat»", "Treinen rijden vaker te laat dan ooit", "Gemeenten kunnen jeugdzorg niet meer betalen",
    "Datalek bij GGD: gegevens van miljoenen Nederlanders op straat", "Asielzoekers slapen opnieuw in het gras in Ter Apel",
    "Woningzoekers in Amsterdam wachten gemiddeld dertien jaar", "Scholen kampen met «lerarentekort 2.0»",
    "Oekraïense vluchtelingen vinden moeilijk werk", "Exportverbod op chipmachines raakt ASML",
)
TITLE_FORMS = (
    "Het bericht «{headline}»", "Het bericht dat {clause}", "Het artikel “{headline}”", "{Object_cap}",
    "{Object_cap} in {place}", "De gevolgen van {object} voor {place}", "Het tekort aan {shortage} in {place}",
    "De brief van {org} over {object}",
)
PLACES = ("Limburg", "Friesland en Groningen", "Zeeland", "Súdwest-Fryslân", "de Randstad", "Rotterdam-Zuid", "het noorden",
          "Caribisch Nederland", "de grensregio’s", "Brabant", "Drenthe", "Twente")
SHORTAGES = ("huisartsen", "leraren", "agenten", "verpleegkundigen", "woningen", "opvangplekken", "rechters", "buschauffeurs")
DEBATES = ("Jeugd", "Raad Algemene Zaken", "Hersteloperatie kinderopvangtoeslag", "Spoor", "Water", "Stikstof", "Onderwijs",
           "Geneesmiddelenbeleid", "Vreemdelingen- en asielbeleid", "Politie")
LIST_INTROS = ("De volgende maatregelen zijn genomen:", "Het aantal meldingen bedroeg de afgelopen jaren:",
               "Het kabinet zet in op drie sporen:", "In de tabel hieronder staan de aantallen per jaar:")
LIST_ITEMS = ("het plaatsen van ruim 40.000 zandzakken en tijdelijke keringen", "het intensiveren van de dijkbewaking, dag en nacht",
              "extra inzet van handhavers in de avonduren", "een informatiecampagne via de gemeenten",
              "het verruimen van de regeling voor mantelzorgers", "een verplichte ijzeren voorraad van tien weken",
              "het tijdelijk stremmen van de scheepvaart", "een meldpunt bij de inspectie", "structureel € 30 miljoen per jaar")
NOTICE_TEXTS = (
    "De vragen van {members} over {title_lc} kunnen niet binnen de gebruikelijke termijn van drie weken worden beantwoord.",
    "Voor de beantwoording is informatie nodig van de betrokken uitvoeringsorganisaties. "
    "Ik streef ernaar de vragen binnen drie weken te beantwoorden.",
    "Helaas is het niet gelukt de vragen binnen de eerder genoemde termijn te beantwoorden. De benodigde gegevens worden nog uitgevraagd.",
    "De beantwoording vergt interdepartementale afstemming. Ik streef ernaar de vragen zo spoedig mogelijk te beantwoorden.",
)
FOOTNOTE_SITES = ("https://nos.nl/artikel/{n}-{slug}", "https://www.rtlnieuws.nl/nieuws/nederland/artikel/{n}/{slug}",
                  "https://www.volkskrant.nl/nieuws-achtergrond/{slug}~b{n}/", "https://www.knmp.nl/nieuws/{slug}",
                  "https://www.omroepbrabant.nl/nieuws/{n}/{slug}", "https://www.rijksoverheid.nl/documenten/rapporten/{year}/{slug}")

# ---------------------------------------------------------------------------------------------
# The plan of one document
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Person:
    """A person as printed: full name (or bare surname), surname for titles, party, role group."""

    name: str
    surname: str
    party: str | None = None
    roles: tuple[str, ...] = ()  # as written, e.g. ("viceminister-president ", "minister financiën")

    def render(self, with_roles: bool) -> str:
        text = self.name
        if with_roles and self.roles:
            text += " (" + ", ".join(self.roles) + ")"
        if self.party:
            text += f" ({self.party})"
        return text

    @property
    def role_texts(self) -> list[str]:
        """The roles as a parser should report them (trimmed)."""
        return [r.strip() for r in self.roles]


@dataclass
class Plan:
    """Everything one generated document states; `render` turns it into text."""

    zaaknummer: str
    title: str
    question_title: str
    submitted: date
    answered: date | None
    submitters: list[Person]
    answerers: list[Person]
    topics: list[str]
    footnotes: list[str]
    questions: list[tuple[str, str | None]]  # (question text, answer text or None); texts may span lines
    notices: list[tuple[date, str]] = field(default_factory=list)
    answer_number: str | None = None
    answer_title: str | None = None
    indent: tuple[str, str] = (" ", "  ")
    crlf: bool = False
    bom: bool = False
    final_newline: bool = False

    @property
    def days(self) -> int | None:
        return None if self.answered is None else (self.answered - self.submitted).days


def _weighted(values, weights) -> tuple:
    """`values` repeated by integer weight, so that `rng.choice` draws with those weights (fast)."""
    return tuple(v for v, w in zip(values, weights, strict=True) for _ in range(w))


TOPIC_COUNTS = _weighted((0, 1, 2, 3, 4, 5), (6, 12, 24, 28, 18, 12))
SENTENCES_PER_PARAGRAPH = _weighted((1, 2, 3, 4, 5, 7, 10), (24, 24, 20, 14, 9, 6, 3))
PARAGRAPHS_PER_ANSWER = _weighted((1, 2, 3, 4), (55, 28, 12, 5))
SUBMITTER_COUNTS = _weighted((1, 2, 3), (55, 33, 12))
EXTRA_ANSWERERS = _weighted((0, 1, 2), (62, 30, 8))
QUESTION_COUNTS = _weighted(range(1, 16), (3, 5, 8, 10, 11, 11, 10, 9, 8, 7, 6, 4, 3, 3, 2))
FOOTNOTE_COUNTS = _weighted((1, 2, 3, 4), (40, 30, 20, 10))
NOTICE_COUNTS = _weighted((1, 2), (4, 1))


def dutch_date(day: date, nbsp: bool = False) -> str:
    return f"{day.day}{NBSP if nbsp else ' '}{MONTHS[day.month - 1]} {day.year}"


def vergaderjaar(day: date) -> str:
    """The parliamentary year of a date: it starts on Prinsjesdag, the third Tuesday of September."""
    fifteenth = date(day.year, 9, 15)
    prinsjesdag = fifteenth + timedelta(days=(1 - fifteenth.weekday()) % 7)
    start = day.year if day >= prinsjesdag else day.year - 1
    return f"{start}{start + 1}"


def _slug(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text)
    ascii_only = "".join(c for c in folded if not unicodedata.combining(c)).encode("ascii", "ignore").decode().lower()
    return "-".join("".join(c if c.isalnum() else " " for c in ascii_only).split())


def _title_surname(particle: str, surname: str) -> str:
    """`van der` + `Werf` -> `Van der Werf` (a surname on its own starts with a capital)."""
    return f"{particle[0].upper()}{particle[1:]} {surname}" if particle else surname


def _lower_first(text: str) -> str:
    """`De oproep ...` -> `de oproep ...`; names and acronyms (`DUO`, `Rijkswaterstaat`) stay as they are."""
    if text.startswith(("Het ", "De ", "Een ")):
        return text[:1].lower() + text[1:]
    return text


class _Slots(dict):
    """The values of template slots, drawn when a template asks for them."""

    def __init__(self, vocab: _Vocabulary) -> None:
        super().__init__()
        self.vocab = vocab

    def __missing__(self, key: str) -> object:
        rng = self.vocab.rng
        if key in ("year", "prev", "next"):
            year = self.setdefault("_year", rng.randint(2015, 2024))
            value = {"year": year, "prev": year - rng.randint(1, 5), "next": year + 1}[key]
        elif key == "day":
            value = f"{rng.randint(1, 28)}{NBSP}{rng.choice(MONTHS)}"
        elif key == "amount":
            value = rng.randint(3, 950)
        elif key == "count":
            value = f"{rng.randint(1, 400)}.{rng.randint(0, 999):03d}"
        elif key == "pct":
            value = rng.randint(2, 85)
        elif key in ("small", "digit"):
            value = rng.randint(1, 9)
        elif key == "nbsp":
            value = NBSP
        elif key == "object":
            value = rng.choice(OBJECTS)
        elif key == "subject_lc":
            value = _lower_first(rng.choice(THIRD_PERSON_SUBJECTS))
        elif key == "verb":
            value = self.vocab._fill(rng.choice(VERBS))
        elif key == "verdict":
            value = rng.choice(VERDICTS)
        elif key == "party_org":
            value = rng.choice(ORGS)
        elif key == "debate":
            value = rng.choice(DEBATES)
        elif key == "quote":
            value = self.vocab._quote()
        else:
            raise KeyError(key)
        self[key] = value
        return value


class _Vocabulary:
    """The per-seed pools: persons, cabinets, topics, sentences and questions."""

    def __init__(self, rng: Random) -> None:
        self.rng = rng
        self._fitting: dict[tuple[int, str], list[Person]] = {}
        self._themes()
        self._people()
        self._cabinets()
        self._sentences()

    # -- topics -------------------------------------------------------------------------------
    def _themes(self) -> None:
        with THEMES_CSV.open(encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
        label_of = {r["uri"]: r["label"].lower() for r in rows}
        self.top_themes = [label_of[r["uri"]] for r in rows if not r["broader"]]
        self.children: dict[str, list[str]] = {t: [] for t in self.top_themes}
        for r in rows:
            label = r["label"].lower()
            if r["broader"] and label != "jongeren":
                self.children[label_of[r["broader"]]].append(label)

    def topics(self) -> list[str]:
        rng = self.rng
        count = rng.choice(TOPIC_COUNTS)
        if count == 0:
            return []
        chosen: set[str] = set()
        main = rng.choice(self.top_themes)
        if rng.random() < 0.7:
            chosen.add(main)
        pool = self.children[main] + (self.children[rng.choice(self.top_themes)] if rng.random() < 0.35 else [])
        while len(chosen) < count and pool:
            chosen.add(pool.pop(rng.randrange(len(pool))))
        while len(chosen) < count:
            chosen.add(rng.choice(self.top_themes))
        self.last_main = main
        return sorted(chosen)

    # -- persons ------------------------------------------------------------------------------
    def _name(self, taken: set[str]) -> tuple[str, str] | None:
        rng = self.rng
        first = rng.choice(FIRST_NAMES)
        particle = rng.choice(PARTICLES) if rng.random() < 0.3 else ""
        surname = rng.choice(SURNAMES)
        if rng.random() < 0.1:
            other = rng.choice(SURNAMES)
            if other != surname:
                surname = f"{surname}-{other}" if rng.random() < 0.85 else f"{surname} {other}"
        name = " ".join(p for p in (first, particle, surname) if p)
        key = _slug(name)
        if key in taken:
            return None
        taken.add(key)
        return name, _title_surname(particle, surname)

    def _people(self) -> None:
        rng = self.rng
        taken: set[str] = set()
        parties = list(PARTIES)
        weights = [PARTIES[p][2] for p in parties]
        self.members_by_year: dict[int, list[Person]] = {y: [] for y in range(FIRST_YEAR, LAST_YEAR + 2)}
        bare_taken: set[str] = set()
        made = 0
        while made < 3200:
            if rng.random() < 0.04:  # a bare surname, printed without party
                surname = rng.choice(SURNAMES)
                if surname in bare_taken or "-" in surname:
                    continue
                bare_taken.add(surname)
                person = Person(surname, surname)
                start, end = FIRST_YEAR, LAST_YEAR
            else:
                named = self._name(taken)
                if named is None:
                    continue
                party = rng.choices(parties, weights)[0]
                start, end, _ = PARTIES[party]
                person = Person(named[0], named[1], None if rng.random() < 0.03 else party)
            first = rng.randint(start, end)
            last = min(end, first + rng.choice((1, 3, 4, 7, 10, 15)))
            for year in range(first, last + 1):
                self.members_by_year[year].append(person)
            made += 1
        for year in range(FIRST_YEAR, LAST_YEAR + 2):  # every year needs enough members
            if len(self.members_by_year[year]) < 50:
                self.members_by_year[year] += self.members_by_year[year - 1][:50]
        self.taken = taken

    def _cabinets(self) -> None:
        """One set of government members per cabinet, with the offices as the site prints them."""
        rng = self.rng
        self.cabinets: list[tuple[int, int, list[tuple[str, Person]]]] = []
        for start, end, coalition in CABINETS:
            members: list[tuple[str, Person]] = []
            offices: list[tuple[str, tuple[str, ...]]] = [("algemene zaken", ("minister-president ", "minister algemene zaken"))]
            vice = rng.sample([m for m in MINISTRIES if m != "algemene zaken"], len(coalition) - 1)
            for ministry in MINISTRIES[1:]:
                if ministry in vice:
                    offices.append((ministry, ("viceminister-president ", f"minister {ministry}")))
                else:
                    offices.append((ministry, (f"minister {ministry}",)))
                if rng.random() < 0.5:
                    offices.append((ministry, (f"staatssecretaris {ministry}",)))
                if rng.random() < 0.25:
                    offices.append((ministry, (f"minister zonder portefeuille {ministry}",)))
                if rng.random() < 0.05:
                    offices.append((ministry, (f"minister {ministry}", f"minister zonder portefeuille {ministry}")))
            for ministry, roles in offices:
                named = None
                while named is None:
                    named = self._name(self.taken)
                party = None if rng.random() < 0.08 else rng.choice(coalition)
                members.append((ministry, Person(named[0], named[1], party, roles)))
            self.cabinets.append((start, end, members))

    def fitting(self, cabinet: list[tuple[str, Person]], theme: str) -> list[Person]:
        """The members of a cabinet whose ministry fits a top-level theme (all of them if none does)."""
        key = (id(cabinet), theme)
        if key not in self._fitting:
            wanted = THEME_MINISTRIES.get(theme, ())
            self._fitting[key] = [p for m, p in cabinet if m in wanted] or [p for _, p in cabinet]
        return self._fitting[key]

    def cabinet(self, year: int) -> list[tuple[str, Person]]:
        for start, _end, members in reversed(self.cabinets):
            if start <= year:
                return members
        return self.cabinets[0][2]

    # -- text ---------------------------------------------------------------------------------
    def _fill(self, template: str) -> str:
        """Fill a template's `{slots}`; only the slots it uses draw random numbers."""
        return template.format_map(_Slots(self)) if "{" in template else template

    def _quote(self) -> str:
        rng = self.rng
        headline = rng.choice(HEADLINES)
        form = rng.random()
        if form < 0.55:
            return f"«{headline}»"
        if form < 0.85:
            return f"“{headline}”"
        if form < 0.93:
            return f"«{headline.split(':')[0]} over «{rng.choice(SHORTAGES)}»»"
        return f"'{headline}'"

    def _sentence(self) -> str:
        rng = self.rng
        if rng.random() < 0.3:
            return self._fill(rng.choice(FACTS))
        text = f"{rng.choice(SUBJECTS)} {self._fill(rng.choice(VERBS))} {rng.choice(OBJECTS)}{rng.choice(TAILS)}"
        while rng.random() < 0.3:
            text += f", {rng.choice(('omdat', 'terwijl', 'zodat', 'waarbij', 'en'))} {_lower_first(rng.choice(THIRD_PERSON_SUBJECTS))} " \
                    f"{self._fill(rng.choice(VERBS))} {rng.choice(OBJECTS)}{rng.choice(TAILS)}"
        return text + "."

    def _sentences(self) -> None:
        self.sentence_pool = [self._sentence() for _ in range(3000)]
        self.question_pool = [self._fill(self.rng.choice(QUESTION_STARTS)) for _ in range(1500)]
        self.closing_pool = [self._fill(q) for q in BAREQUESTIONS for _ in range(5)]
        self.title_pool = [_title(self) for _ in range(4000)]

    def paragraph(self) -> str:
        rng = self.rng
        n = rng.choice(SENTENCES_PER_PARAGRAPH)
        return " ".join(rng.choices(self.sentence_pool, k=n))

    def answer(self) -> str:
        rng = self.rng
        roll = rng.random()
        if roll < 0.15:
            return rng.choice(("Ja.", "Nee.", "Ja, daar ben ik mee bekend.", "Ja, dat ben ik."))
        lines = [self.paragraph() for _ in range(rng.choice(PARAGRAPHS_PER_ANSWER))]
        if roll > 0.9:  # a list answer: `2020: ...` or `1. ...` lines
            at = rng.randrange(len(lines) + 1)
            if rng.random() < 0.5:
                first = rng.randint(2015, 2021)
                items = [f"{first + i}: {rng.randint(10, 2500):,} meldingen".replace(",", ".") for i in range(rng.randint(2, 4))]
                intro = LIST_INTROS[1]
            else:
                items = [f"{i + 1}. {item};" for i, item in enumerate(rng.sample(LIST_ITEMS, rng.randint(2, 4)))]
                items[-1] = items[-1][:-1] + "."
                intro = rng.choice(LIST_INTROS)
            lines[at:at] = [intro, *items]
            lines = lines[:6]
        return "\n".join(lines)


# ---------------------------------------------------------------------------------------------
# Planning a corpus
# ---------------------------------------------------------------------------------------------


def _skeleton(count: int, rng: Random) -> list[tuple[str, date]]:
    """Unique zaaknummers with submission dates, in order; numbers rise with the date within a year."""
    years = list(range(FIRST_YEAR, LAST_YEAR + 1))
    per_year = {y: 0 for y in years}
    for _ in range(count):
        per_year[rng.choice(years)] += 1
    skeleton: list[tuple[str, date]] = []
    for year in years:
        k = per_year[year]
        if not k:
            continue
        max_gap = max(1, min(7, 90_000 // k))
        number = rng.randint(1, 2000)
        length = (date(year + 1, 1, 1) - date(year, 1, 1)).days
        days = sorted(rng.randrange(length) for _ in range(k))
        for offset in days:
            number += rng.randint(1, max_gap)
            skeleton.append((f"{year}Z{number:05d}", date(year, 1, 1) + timedelta(days=offset)))
    return skeleton


Row = tuple[str, date, "date | None", "str | None"]  # zaaknummer, submitted, answered, answer number


def _prepare(count: int, seed: int) -> tuple[_Vocabulary, list[Row]]:
    """The vocabulary and, per document, its zaaknummer, dates and Aanhangsel number."""
    rng = Random(seed)
    vocabulary = _Vocabulary(rng)
    skeleton = _skeleton(count, rng)
    # Answer dates first, so that Aanhangsel numbers can rise with the date within a vergaderjaar.
    answered: list[date | None] = []
    for _, submitted in skeleton:
        if rng.random() < 0.15:
            answered.append(None)
        else:
            days = rng.randint(0, 3) if rng.random() < 0.04 else min(120, int(rng.triangular(5, 121, 30)))
            answered.append(submitted + timedelta(days=days))
    by_year: dict[str, list[tuple[date, int]]] = {}
    for index, when in enumerate(answered):
        if when is not None:
            by_year.setdefault(vergaderjaar(when), []).append((when, index))
    numbers: dict[int, str] = {}
    for year, entries in sorted(by_year.items()):
        nr = rng.randint(1, 40)
        for _, index in sorted(entries):
            numbers[index] = f"ah-tk-{year}-{nr}"
            nr += rng.choice((1, 1, 1, 2, 3))
    rows = [(z, submitted, answered[i], numbers.get(i)) for i, (z, submitted) in enumerate(skeleton)]
    return vocabulary, rows


def plans(count: int, seed: int) -> Iterator[Plan]:
    """The plans of `count` documents for `seed`, in zaaknummer order."""
    vocabulary, rows = _prepare(count, seed)
    for row in rows:
        yield _plan(vocabulary, *row)


def _members_phrase(persons: list[Person], with_party: bool) -> str:
    names = [p.surname + (f" ({p.party})" if with_party and p.party else "") for p in persons]
    if len(names) == 1:
        return f"het lid {names[0]}"
    return "de leden " + ", ".join(names[:-1]) + " en " + names[-1]


def _plan(vocab: _Vocabulary, zaaknummer: str, submitted: date, answered: date | None, answer_number: str | None) -> Plan:
    rng = vocab.rng
    year = submitted.year
    topics = vocab.topics()
    main = vocab.last_main if topics else rng.choice(vocab.top_themes)
    # submitters: 1-3 distinct members active in that year
    members = vocab.members_by_year[year]
    n_sub = rng.choice(SUBMITTER_COUNTS)
    submitters: list[Person] = []
    while len(submitters) < n_sub:
        person = rng.choice(members)
        if person not in submitters:
            submitters.append(person)
    # answerers: 1-3 members of the cabinet, the first from a ministry that fits the topic
    answerers: list[Person] = []
    cabinet = vocab.cabinet((answered or submitted).year)
    fitting = vocab.fitting(cabinet, main)
    addressed = [rng.choice(fitting)]
    for _ in range(rng.choice(EXTRA_ANSWERERS)):
        person = rng.choice(cabinet)[1]
        if person not in addressed:
            addressed.append(person)
    if answered is not None:
        for person in addressed:
            roll = rng.random()
            if roll < 0.05:  # party only, no roles
                person = Person(person.name, person.surname, person.party or rng.choice(("VVD", "NSC", "D66")))
            elif roll < 0.08:  # nothing but a surname
                bare = person.surname.split(" ")[-1]
                person = Person(bare, bare)
            answerers.append(person)
    title = rng.choice(vocab.title_pool)
    title_lc = _lower_first(title)
    n_questions = rng.choice(QUESTION_COUNTS)
    texts = [rng.choice(vocab.question_pool) for _ in range(n_questions)]
    if n_questions > 2 and rng.random() < 0.5:
        texts[-1] = rng.choice(vocab.closing_pool)
    if title.startswith("Het bericht «") and rng.random() < 0.6:
        texts[0] = f"Bent u bekend met {title_lc}?"
    questions: list[tuple[str, str | None]] = []
    real: list[int] = []  # the questions so far with an answer of their own
    for number, text in enumerate(texts, start=1):
        if answered is None:
            questions.append((text, None))
            continue
        roll = rng.random()
        if real and roll < 0.05:
            questions.append((text, f"Zie antwoord vraag {rng.choice(real)}."))
        elif number > 1 and roll < 0.08:
            questions.append((text, None))
        else:
            questions.append((text, vocab.answer()))
            real.append(number)
    footnotes = _footnotes(vocab, questions) if rng.random() < 0.2 else []
    if footnotes:
        questions = _mark(rng, questions, len(footnotes))
    notices = _notices(vocab, submitted, answered, submitters, title_lc)
    question_title = title
    if rng.random() < 0.12:
        addressee = _addressee(addressed[0])
        question_title = f"Vragen van {_members_phrase(submitters, True)} aan {addressee} over {title_lc}"
    answer_title = None
    if answered is not None:
        answer_title = f"Antwoord op vragen van {_members_phrase(submitters, False)} over {title_lc}"
    layout = rng.random()
    return Plan(
        zaaknummer=zaaknummer, title=title, question_title=question_title, submitted=submitted, answered=answered,
        submitters=submitters, answerers=answerers, topics=topics, footnotes=footnotes, questions=questions,
        notices=notices, answer_number=answer_number, answer_title=answer_title,
        indent=("  ", "    ") if rng.random() < 0.1 else (" ", "  "),
        crlf=layout < 0.03, bom=0.03 <= layout < 0.05, final_newline=rng.random() < 0.1,
    )


def _title(vocab: _Vocabulary) -> str:
    rng = vocab.rng
    form = rng.choice(TITLE_FORMS)
    obj = rng.choice(OBJECTS)
    clause = f"{_lower_first(rng.choice(THIRD_PERSON_SUBJECTS))} {vocab._fill(rng.choice(VERBS))} {rng.choice(OBJECTS)}"
    return form.format(headline=rng.choice(HEADLINES), clause=clause, object=obj, Object_cap=obj[0].upper() + obj[1:],
                       place=rng.choice(PLACES), shortage=rng.choice(SHORTAGES), org=rng.choice(ORGS))


def _addressee(person: Person) -> str:
    if not person.roles:
        return "de minister-president"
    role = person.roles[-1].strip()
    for position in ("minister zonder portefeuille", "staatssecretaris", "minister"):
        if role.startswith(position + " "):
            ministry = role[len(position) + 1:]
            words = " ".join(w if w in ("en",) else w[:1].upper() + w[1:] for w in ministry.split(" "))
            return f"de {'minister' if position != 'staatssecretaris' else 'staatssecretaris'} van {words}"
    return "de minister-president"


def _footnotes(vocab: _Vocabulary, questions: list[tuple[str, str | None]]) -> list[str]:
    rng = vocab.rng
    result = []
    for _ in range(rng.choice(FOOTNOTE_COUNTS)):
        roll = rng.random()
        if roll < 0.55:
            slug = "-".join(_slug(rng.choice(HEADLINES)).split("-")[: rng.randint(3, 12)])
            url = rng.choice(FOOTNOTE_SITES).format(n=rng.randint(2_000_000, 2_600_000), slug=slug, year=rng.randint(2015, 2025))
            result.append(url if len(url) <= 70 else url[:67] + "…")
        elif roll < 0.8:
            result.append(f"Kamerstuk {rng.randint(21, 36)} {rng.randint(100, 999)}, nr. {rng.randint(1, 1200)}")
        elif roll < 0.9:
            day = date(rng.randint(2015, 2025), rng.randint(1, 12), rng.randint(1, 28))
            result.append(f"NOS, {dutch_date(day)}, «{rng.choice(HEADLINES)}»")
        else:
            result.append(f"Aanhangsel Handelingen II {rng.randint(2015, 2024)}/{rng.randint(16, 25)}, nr. {rng.randint(1, 3000)}")
    return result


def _mark(rng: Random, questions: list[tuple[str, str | None]], count: int) -> list[tuple[str, str | None]]:
    """Glue footnote markers 1..count to text, in document order: `?1`, `»2`, `informeerde,3`."""
    marked = list(questions)
    slots = sorted(rng.sample(range(len(marked)), min(count, len(marked))))
    marker = 1
    for index in slots:
        text, answer = marked[index]
        if text.endswith("?") and rng.random() < 0.7:
            text = text + str(marker)
        elif "», " in text:
            text = text.replace("», ", f"»{marker}, ", 1)
        elif ", " in text:
            text = text.replace(", ", f",{marker} ", 1)
        else:
            text = text + str(marker)
        marked[index] = (text, answer)
        marker += 1
    while marker <= count:  # more footnotes than questions: put the rest in the last answer or question
        text, answer = marked[-1]
        if answer and not answer.startswith("Zie antwoord"):
            answer = answer.replace(", ", f",{marker} ", 1) if ", " in answer else answer + str(marker)
        else:
            text = text + str(marker)
        marked[-1] = (text, answer)
        marker += 1
    return marked


def _notices(vocab: _Vocabulary, submitted: date, answered: date | None,
             submitters: list[Person], title_lc: str) -> list[tuple[date, str]]:
    rng = vocab.rng
    if answered is not None and (answered - submitted).days < 25:
        return []
    if rng.random() > (0.08 if answered is not None else 0.25):
        return []
    notices = []
    when = submitted + timedelta(days=rng.randint(18, 23))
    for number in range(rng.choice(NOTICE_COUNTS)):
        if answered is not None and when >= answered:
            break
        if number == 0:
            text = NOTICE_TEXTS[0].format(members=_members_phrase(submitters, True), title_lc=title_lc)
            if rng.random() < 0.5:
                text += "\n" + NOTICE_TEXTS[1]
            else:
                text += " " + rng.choice(NOTICE_TEXTS[1:]).split(". ", 1)[-1]
        else:
            text = rng.choice(NOTICE_TEXTS[2:])
        notices.append((when, text))
        when += timedelta(days=rng.randint(14, 28))
    return notices


# ---------------------------------------------------------------------------------------------
# Rendering
# ---------------------------------------------------------------------------------------------


def render(plan: Plan) -> str:
    """The document text of a plan, byte for byte as it is written (BOM and CRLF included)."""
    bullet, body = plan.indent
    out = [f"Kamervraag {plan.zaaknummer}", "", plan.title, "", f"Ingediend {dutch_date(plan.submitted)}"]
    if plan.answered is not None:
        out.append(f"Beantwoord {dutch_date(plan.answered)} (na {plan.days} dagen)")
    key = "Indiener" if len(plan.submitters) == 1 else "Indieners"
    out.append(f"{key} " + ", ".join(p.render(False) for p in plan.submitters))
    if plan.answered is not None:
        out.append("Beantwoord door " + ", ".join(p.render(True) for p in plan.answerers))
    out.append(("Onderwerpen " + " ".join(plan.topics)) if plan.topics else "Onderwerpen")
    out.append(f"Bron vraag https://zoek.officielebekendmakingen.nl/kv-tk-{plan.zaaknummer}.html")
    if plan.answered is not None:
        out.append(f"Bron antwoord https://zoek.officielebekendmakingen.nl/{plan.answer_number}.html")
    out += [f"{n}. {text}" for n, text in enumerate(plan.footnotes, start=1)]
    for number, (question, answer) in enumerate(plan.questions, start=1):
        out.append(f"{bullet}{BULLET} Vraag {number}")
        out += [body + line for line in question.split("\n")]
        if answer is not None:
            out.append("")
            out += [body + line for line in answer.split("\n")]
            out.append("")
    for when, text in plan.notices:
        out.append(f"{bullet}{BULLET} Mededeling - {dutch_date(when)}")
        out += [body + line for line in text.split("\n")]
    out += ["", f"Kamervraag document nummer: kv-tk-{plan.zaaknummer}", f"Volledige titel: {plan.question_title}"]
    if plan.answered is not None:
        out += [f"Kamerantwoord document nummer: {plan.answer_number}", f"Volledige titel: {plan.answer_title}"]
    newline = "\r\n" if plan.crlf else "\n"
    text = newline.join(out) + (newline if plan.final_newline else "")
    return ("\ufeff" + text) if plan.bom else text


def generate_plans(count: int, seed: int) -> Iterator[tuple[Plan, str]]:
    """(plan, text) for each document: what the generator intended next to what it wrote."""
    for plan in plans(count, seed):
        yield plan, render(plan)


def generate(count: int, seed: int) -> Iterator[tuple[str, str]]:
    """(zaaknummer, document text) for `count` documents, deterministic for `seed`."""
    for plan in plans(count, seed):
        yield plan.zaaknummer, render(plan)


def retitled(document: bytes) -> bytes:
    """A rendered document with " (gewijzigd)" after its title (the third line), its line ends kept:
    a real change of one field, for tests and benchmarks of re-loading changed documents."""
    lines = document.split(b"\n")
    end = b"\r" if lines[2].endswith(b"\r") else b""
    lines[2] = lines[2].removesuffix(b"\r") + b" (gewijzigd)" + end
    return b"\n".join(lines)


def folder_of(zaaknummer: str, year_count: int) -> str:
    """`2022` or, for a year with more than FOLDER_LIMIT documents, `2022/2022Z04`."""
    year = zaaknummer[:4]
    return year if year_count <= FOLDER_LIMIT else f"{year}/{zaaknummer[:7]}"


def write_corpus(count: int, seed: int, out_dir: Path | str) -> list[Path]:
    """Write `count` documents under `out_dir` (see the module docstring for the layout); returns the paths.

    The bytes are those of `generate(count, seed)`; documents are written as they are made.
    """
    out = Path(out_dir)
    vocabulary, rows = _prepare(count, seed)
    per_year: dict[str, int] = {}
    for row in rows:
        per_year[row[0][:4]] = per_year.get(row[0][:4], 0) + 1
    made: set[Path] = set()
    paths = []
    for row in rows:
        zaaknummer = row[0]
        folder = out / folder_of(zaaknummer, per_year[zaaknummer[:4]])
        if folder not in made:
            folder.mkdir(parents=True, exist_ok=True)
            made.add(folder)
        path = folder / f"{zaaknummer}.txt"
        with open(path, "wb") as handle:
            handle.write(render(_plan(vocabulary, *row)).encode("utf-8"))
        paths.append(path)
    return paths


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, required=True, help="number of documents")
    parser.add_argument("--seed", type=int, default=1, help="random seed (same seed, same bytes)")
    parser.add_argument("--out", type=Path, required=True, help="output folder")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    paths = write_corpus(args.count, args.seed, args.out)
    size = sum(p.stat().st_size for p in paths)
    print(f"wrote {len(paths)} documents ({size / 1e6:.1f} MB) to {args.out} in {time.perf_counter() - started:.1f} s",
          file=sys.stderr)


if __name__ == "__main__":
    main()
