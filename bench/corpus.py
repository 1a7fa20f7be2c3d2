"""A deterministic synthetic corpus of IGF session pages, shaped like `seeds/*.txt`.

`iter_documents(n, seed)` yields `n` documents in the exact text layout of the seeds (heading,
schedule line, room, "Theme: question?" policy questions, format line, description paragraphs,
organizers, "Name, role, organisation" speakers with "Topic 1: …" segment lines, "Onsite
Moderator" / "Online Moderator" labels, an unlabelled rapporteur, SDG lines, "Targets:", key
takeaways, calls to action and a report), and a share in the labelled layout of the 2019-2021
pages ("Organizer 1: …", "Speaker 1: Name, Civil Society, African Group").

Each document carries what it was generated from (`Expected`), so `check_documents` can compare
the real parser's reading with it. Everything comes from one `random.Random(seed)`: the same
`n` and `seed` always give byte-identical documents.
"""

from __future__ import annotations

import functools
import hashlib
import random
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from bot.names import person_key
from bot.vocabulary import SDG_NAMES

DEFAULT_SEED = 20211210
POOL_SIZE = 4000
LABELLED_SHARE = 0.3

# ------------------------------------------------------------------------------- vocabulary

# (canonical type as the parser returns it, heading spelling, numbered?, weight)
SESSION_TYPES: tuple[tuple[str, str, bool, float], ...] = (
    ("Workshop", "WS", True, 50),
    ("Open Forum", "Open Forum", True, 14),
    ("Town Hall", "Town Hall", True, 5),
    ("Lightning Talk", "Lightning Talk", True, 8),
    ("Networking Session", "Networking Session", True, 5),
    ("Launch / Award", "Launch / Award Event", True, 3),
    ("Main Session", "Main Session", False, 3),
    ("Day 0 Event", "Day 0 Event", True, 6),
    ("Dynamic Coalition", "Dynamic Coalition", True, 4),
    ("NRI", "NRIs", False, 2),
)

# Year -> (month, first day of the forum week). Day 0 is the day before.
FORUM_WEEKS: dict[int, tuple[int, int]] = {
    2015: (11, 10),
    2016: (12, 6),
    2017: (12, 18),
    2018: (11, 12),
    2019: (11, 25),
    2020: (11, 2),
    2021: (12, 6),
    2022: (11, 28),
    2023: (10, 8),
    2024: (12, 15),
    2025: (6, 23),
}
YEAR_WEIGHTS = {y: 1 + (y - 2014) for y in FORUM_WEEKS}

ROOMS = (
    "Ballroom A",
    "Ballroom B",
    "Banquet Hall A",
    "Banquet Hall B",
    "Conference Room 3",
    "Conference Room 11",
    "Workshop Room 2",
    "Workshop Room 8",
    "Main Hall",
    "Plenary Hall",
    "Hall C",
    "Room 7",
    "Press Briefing Room",
    "Speakers Corner",
    "Village Stage",
)

FORMATS = (
    ("Round Table - U-shape", (60, 90)),
    ("Round Table - Circle", (60, 90)),
    ("Round Table - Rectangle", (60, 90)),
    ("Panel - Auditorium", (60, 90)),
    ("Panel - Round Table", (60, 90)),
    ("Break-out Group Discussions - Flexible Seating", (60, 90)),
    ("Birds of a Feather - Classroom", (60, 90)),
    ("Debate - Auditorium", (60,)),
    ("Theater", (30, 60)),
    ("Classroom", (60, 75)),
    ("Other", (60, 90)),
)
FORMAT_DESCRIPTIONS = (
    "online meeting",
    "hybrid roundtable with breakout rooms",
    "interactive quiz followed by an open discussion",
    "fishbowl conversation",
)

TOPICS = (
    "Artificial Intelligence",
    "Data Governance",
    "Cybersecurity",
    "Meaningful Connectivity",
    "Community Networks",
    "Digital Inclusion",
    "Child Online Protection",
    "Disinformation",
    "Internet Shutdowns",
    "Human Rights Online",
    "Gender Equality",
    "Youth Participation",
    "the Multistakeholder Model",
    "WSIS+20",
    "the Global Digital Compact",
    "DNS Abuse",
    "Internationalized Domain Names",
    "Universal Acceptance",
    "E-waste",
    "Climate Action",
    "Digital Public Infrastructure",
    "Open Source",
    "Encryption",
    "Content Moderation",
    "Platform Regulation",
    "Data Free Flow with Trust",
    "Privacy",
    "Accessibility",
    "Local Languages",
    "Digital Sovereignty",
    "Cross-border Data Flows",
    "Internet Fragmentation",
    "Digital Identity",
    "Smart Cities",
    "Satellite Broadband",
    "Spectrum Policy",
    "Cyber Norms",
    "Online Harms",
    "Misinformation in Elections",
    "Algorithmic Transparency",
    "Generative AI",
    "Quantum Computing",
    "Blockchain",
    "Digital Trade",
    "Fintech",
    "Telemedicine",
    "Digital Literacy",
    "Open Data",
    "Net Neutrality",
    "IPv6 Deployment",
    "Routing Security",
    "Internet Exchange Points",
    "Rural Broadband",
    "Indigenous Communities",
    "Persons with Disabilities",
    "Labour Platforms",
    "Surveillance Technologies",
    "Facial Recognition",
    "Digital Public Goods",
    "Cloud Computing",
)
TITLE_VERBS = (
    "Building",
    "Rethinking",
    "Advancing",
    "Governing",
    "Strengthening",
    "Bridging",
    "Shaping",
    "Protecting",
    "Measuring",
    "Regulating",
    "Financing",
    "Scaling",
    "Localizing",
    "Decolonizing",
    "Securing",
)
TITLE_OBJECTS = (
    "Capacities",
    "Trust",
    "Partnerships",
    "Frameworks",
    "Safeguards",
    "Standards",
    "Ecosystems",
    "Pathways",
    "Commitments",
    "Coalitions",
    "Roadmaps",
    "Solutions",
)
CONTEXTS = (
    "in the Global South",
    "for Small Island Developing States",
    "in Africa",
    "in Latin America",
    "in Asia-Pacific",
    "for the Next Billion Users",
    "after WSIS+20",
    "in Times of Crisis",
    "for Sustainable Development",
    "for Children and Youth",
    "at the Local Level",
    "across Borders",
    "in Multilateral Fora",
    "for Women and Girls",
    "in Conflict Zones",
    "for Rural Communities",
)
SUBTITLES = (
    "Diverse risks, challenges, and needs",
    "lessons from the field",
    "what works and what does not",
    "a multistakeholder dialogue",
    "from principles to practice",
    "policy options for regulators",
    "voices from the ground",
    "the road ahead",
    "mapping the gaps",
    "who decides?",
    "a toolkit for policymakers",
    "evidence from national experiences",
)
THEMES = (
    "Governance and cooperation for an evolving Internet",
    "Technical Internet governance",
    "Economic and social inclusion and human rights",
    "Universal access and meaningful connectivity",
    "Emerging regulation",
    "Inclusive Internet governance ecosystems and digital cooperation",
    "Trust, security, stability",
    "Environmental sustainability and climate change",
    "Promoting equitable development and preventing harm",
    "Enabling safety, security and accountability",
)
QUESTION_STARTS = (
    "How can",
    "What tools, mechanisms, and capacity building instruments are needed so that",
    "In what ways can",
    "To what extent should",
    "What role can",
    "How should",
)
ACTORS = (
    "governments",
    "civil society organisations",
    "the technical community",
    "private sector actors",
    "intergovernmental organisations",
    "national and regional IGFs",
    "young people",
    "regulators",
    "academic researchers",
    "platform companies",
    "local communities",
    "standards bodies",
)
VERBS = (
    "strengthen",
    "address",
    "shape",
    "reconsider",
    "coordinate",
    "measure",
    "finance",
    "govern",
    "protect",
    "document",
    "prioritise",
    "operationalise",
)
OBJECTS = (
    "the digital divide",
    "cross-border cooperation",
    "capacity building programmes",
    "the protection of personal data",
    "the resilience of critical infrastructure",
    "access to affordable devices",
    "the participation of underrepresented groups",
    "evidence-based policymaking",
    "trust in online services",
    "the accountability of automated systems",
    "local content and languages",
    "open and interoperable standards",
    "the environmental footprint of data centres",
    "the safety of children online",
    "freedom of expression",
)
QUALIFIERS = (
    "in the post-COVID-19 era",
    "without fragmenting the Internet",
    "while respecting human rights",
    "through meaningful multistakeholder participation",
    "with a view to the Sustainable Development Goals",
    "at national, regional and global levels",
    "in a rapidly changing technological landscape",
    "before the next review of the WSIS outcomes",
    "in ways that are transparent and inclusive",
    "across different legal and cultural contexts",
)
OPENERS = (
    "This session will",
    "The proposed workshop aims to",
    "Participants will",
    "The panel is expected to",
    "Speakers from different regions will",
    "The discussion seeks to",
    "Our organisations have worked for several years to",
    "In recent years many countries have tried to",
    "Panelists agreed that it is necessary to",
    "It was noted that stakeholders must",
    "Several interventions stressed the need to",
    "The moderator invited participants to",
)

# Organisations: every one contains a word the parser recognises as an organisation word, and
# none has a region name in the middle (the parser splits run-on people lines at region names).
ORG_PATTERNS = (
    "University of {city}",
    "{city} Institute of Technology",
    "Ministry of Digital Affairs of {country}",
    "Ministry of Communications and Information Technology of {country}",
    "National Telecommunications Regulatory Authority of {country}",
    "Centre for Internet and Society {city}",
    "{country} Internet Governance Forum",
    "Internet Society {country} Chapter",
    "{city} Digital Rights Foundation",
    "{country} Youth Internet Governance Forum",
    "Open Knowledge Network {city}",
    "{country} Chamber of Commerce",
    "Institute for Technology and Policy {city}",
    "{city} School of Law",
    "Cyberspace Administration of {country}",
    "{country} Network Information Center",
    "Association for Progressive Communications {city} Office",
    "{country} Computer Emergency Response Team Agency",
)
FIXED_ORGS = (
    "UNESCO",
    "ITU",
    "OECD",
    "ICANN",
    "Internet Society",
    "Fundação Getulio Vargas",
    "Tsinghua University",
    "Chinese Academy of Cyberspace Studies",
    "World Federation of Engineering Organizations",
    "Association for Progressive Communications",
    "Global Partners Digital Foundation",
    "Access Now Foundation",
    "Research ICT Institute",
    "Diplo Foundation",
    "Internet and Jurisdiction Policy Network",
    "European Broadcasting Union",
    "Universidad de Chile",
    "Université de Genève",
)
CITIES = (
    "Nairobi",
    "Lagos",
    "Accra",
    "Dakar",
    "Kigali",
    "Cairo",
    "Tunis",
    "Beirut",
    "Riyadh",
    "Istanbul",
    "Warsaw",
    "Prague",
    "Vilnius",
    "Berlin",
    "Zürich",
    "Genève",
    "Paris",
    "Lisbon",
    "Madrid",
    "Oslo",
    "Helsinki",
    "Edinburgh",
    "Toronto",
    "São Paulo",
    "Bogotá",
    "Lima",
    "Santiago",
    "Ciudad de México",
    "Kyoto",
    "Seoul",
    "Beijing",
    "Hanoi",
    "Jakarta",
    "Manila",
    "Bangalore",
    "Dhaka",
    "Colombo",
    "Suva",
    "Sydney",
    "Auckland",
)
COUNTRIES = (
    "Kenya",
    "Nigeria",
    "Ghana",
    "Senegal",
    "Rwanda",
    "Egypt",
    "Tunisia",
    "Lebanon",
    "Saudi Arabia",
    "Türkiye",
    "Poland",
    "Czechia",
    "Lithuania",
    "Germany",
    "Switzerland",
    "France",
    "Portugal",
    "Spain",
    "Norway",
    "Finland",
    "Canada",
    "Brazil",
    "Colombia",
    "Peru",
    "Chile",
    "Mexico",
    "Japan",
    "Korea",
    "China",
    "Viet Nam",
    "Indonesia",
    "the Philippines",
    "India",
    "Bangladesh",
    "Sri Lanka",
    "Fiji",
    "Australia",
    "New Zealand",
)
ROLES = (
    "Professor of Internet Governance and Regulation",
    "Deputy Director General",
    "Senior Policy Advisor",
    "Founder and Managing Director",
    "Head of AI Governance Research",
    "Executive Director",
    "Researcher",
    "Programme Officer",
    "Chief Executive Officer",
    "Chair of the Board",
    "Member of Parliament",
    "Legal Counsel",
    "Youth Ambassador",
    "Director of Public Policy",
    "Vice President",
    "Associate Professor",
    "Digital Rights Lead",
    "Policy Analyst",
    "Head of Cybersecurity",
    "Senior Engineer",
)
STAKEHOLDERS = (
    "Civil Society",
    "Private Sector",
    "Technical Community",
    "Government",
    "Intergovernmental Organization",
)
REGIONS = (
    "African Group",
    "Asia-Pacific Group",
    "Eastern European Group",
    "Latin American and Caribbean Group (GRULAC)",
    "Western European and Others Group (WEOG)",
)
SEGMENTS = (
    "Keynote Speech",
    "Opening Remarks",
    "Concluding Remarks",
    "Closing Remarks",
    "High-Level Segment",
)

# Names by naming tradition: (given names, family names, family name first?)
NAME_STOCKS: tuple[tuple[tuple[str, ...], tuple[str, ...], bool], ...] = (
    (
        (
            "Wei",
            "Fang",
            "Jun",
            "Peng",
            "Xiao",
            "Lan",
            "Hui",
            "Bo",
            "Yanjun",
            "Xueping",
            "Yuxiao",
            "Yingchun",
            "Tianpei",
            "Shengming",
            "Xiangpeng",
            "Cui",
            "Mei",
            "Jing",
            "Lei",
            "Qiang",
            "Feng",
            "Ke",
            "Yu",
            "Xiaoli",
        ),
        (
            "Zhang",
            "Wang",
            "Li",
            "Liu",
            "Chen",
            "Yang",
            "Huang",
            "Zhao",
            "Wu",
            "Zhou",
            "Xu",
            "Sun",
            "Ma",
            "Zhu",
            "Hu",
            "Guo",
            "He",
            "Lin",
            "Gao",
            "Luo",
            "Xue",
            "Xia",
            "Su",
        ),
        True,
    ),
    (
        (
            "María José",
            "José Luis",
            "Juan Carlos",
            "Ana",
            "Lucía",
            "Sofía",
            "Andrés",
            "Ramón",
            "Inés",
            "Camila",
            "Martín",
            "Carlos Francisco",
            "Lilian",
            "Valeria",
        ),
        (
            "García",
            "Fernández",
            "López",
            "Martínez",
            "Rodríguez",
            "Pérez",
            "Gómez",
            "Díaz",
            "Muñoz",
            "Álvarez",
            "Rojas",
            "Chamorro Rojas",
            "Baca Feldman",
            "Ibáñez",
            "Peña",
        ),
        False,
    ),
    (
        ("João", "Luíza", "Gonçalo", "Conceição", "Thiago", "Beatriz", "Luca", "Raquel"),
        ("Magalhães", "Gonçalves", "Araújo", "Simões", "Canela Godoi", "Belli", "Brandão"),
        False,
    ),
    (
        (
            "Jürgen",
            "Jörg",
            "Björn",
            "Søren",
            "Åsa",
            "Øyvind",
            "Ingrid",
            "Katrin",
            "Lutz",
            "Patrik",
            "Thorsten",
            "Annegret",
        ),
        (
            "Müller",
            "Schröder",
            "Fältström",
            "Jørgensen",
            "Öberg",
            "Weiß",
            "Donnerhacke",
            "Jelinek",
            "Kleinwächter",
            "Håkansson",
        ),
        False,
    ),
    (
        ("Hélène", "François", "Amélie", "Jérôme", "Étienne", "Cécile", "Anne-Marie"),
        ("Lefèvre", "Dupré", "Chénier", "Mercier", "Girard", "Bérubé"),
        False,
    ),
    (
        ("Łukasz", "Małgorzata", "Tomáš", "Zdeněk", "Jiří", "Ivana", "Dušan", "Ronda"),
        ("Wiśniewski", "Kowalczyk", "Železný-Green", "Dvořák", "Novák", "Petrović"),
        False,
    ),
    (
        ("Şule", "Çağrı", "Gökhan", "Ayşe", "Emre"),
        ("Şahin", "Yıldız", "Öztürk", "Çelik", "Arslan"),
        False,
    ),
    (
        ("Mohamed", "Ahmed", "Fatima", "Layla", "Omar", "Nour", "Khaled", "Ayad", "Hanane"),
        ("Al-Ani", "El Sayed", "Haddad", "Al-Khalifa", "Ben Ali", "Abdelaziz", "Boukhari"),
        False,
    ),
    (
        (
            "Kwame",
            "Adaeze",
            "Chinedu",
            "Wanjiru",
            "Ndunge",
            "Risper",
            "Thandiwe",
            "Oluwaseun",
            "Amani",
            "Kofi",
            "Athanase",
            "Ida Padikuor",
        ),
        (
            "Mensah",
            "Okonkwo",
            "Kiundi",
            "Nyambok",
            "Adeyemi",
            "Nkosi",
            "Mwangi",
            "Otieno",
            "Diallo",
            "Traoré",
            "Ndiaye",
            "Bahizire",
            "Na-Tei",
        ),
        False,
    ),
    (
        ("Satish", "Anita", "Priya", "Rajesh", "Lakshmi", "Arjun", "Amrita", "Anriette"),
        ("Babu", "Choudhury", "Sharma", "Iyer", "Krishnan", "Nair", "Banerjee", "Reddy"),
        False,
    ),
    (
        ("Văn An", "Thị Mai", "Minh Đức", "Thu Hằng", "Quốc Bảo"),
        ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng"),
        True,
    ),
    (
        ("Haruki", "Yuka", "Kenji", "Aiko", "Yoichi", "Ryōta"),
        ("Tanaka", "Nishimura", "Iida", "Satō", "Kōno", "Yamamoto"),
        False,
    ),
    (
        ("Min-jun", "Ji-woo", "Seo-yeon", "Do-hyun"),
        ("Kim", "Park", "Lee", "Choi"),
        True,
    ),
    (
        (
            "John",
            "Karen",
            "David",
            "Sarah",
            "Emily",
            "Michael",
            "Jennifer",
            "Rob",
            "Simon",
            "Jasmine",
            "Denise",
        ),
        (
            "Robertson",
            "McMahon",
            "O'Neill",
            "Smith",
            "Hopcroft",
            "Woo",
            "Marvin",
            "Ko",
            "Leal",
            "Chung",
            "Babcock",
        ),
        False,
    ),
    (
        ("Maarten", "Jan", "Anne", "Pieter", "Marieke"),
        ("van Horenbeeck", "de Vries", "van der Berg", "de Jong", "van Dijk"),
        False,
    ),
)
HONORIFICS = ("Prof.", "Dr", "Dr.", "H.E.", "Ms.", "Mr.", "Mrs.", "Professor", "H.E. Mr.")
INITIALS = "ABCDEFGHJKLMNPRSTW"

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


# ------------------------------------------------------------------------------- records


@dataclass(frozen=True, slots=True)
class PoolPerson:
    """One person of the pool: reused across sessions under varying spellings."""

    name: str
    role: str
    organisation: str
    stakeholder: str
    region: str
    honorific: str | None

    @property
    def key(self) -> str:
        return person_key(self.name)


@dataclass(frozen=True, slots=True)
class Expected:
    """What a document was generated from: what the parser should read back."""

    heading: str
    title: str
    year: int
    session_type: str
    number: int | None
    layout: str  # "seed" or "labelled"
    speakers: tuple[str, ...]  # person keys, in page order
    onsite: tuple[str, ...]
    online: tuple[str, ...]
    rapporteurs: tuple[str, ...]
    sdgs: tuple[int, ...]
    takeaways: int
    calls: int


@dataclass(frozen=True, slots=True)
class Document:
    filename: str
    text: str
    expected: Expected


# ------------------------------------------------------------------------------- generator


def _ascii(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return plain.translate(str.maketrans({"ø": "o", "Ø": "O", "ß": "ss", "ł": "l", "Ł": "L"}))


@functools.lru_cache(maxsize=4)
def make_pool(seed: int, size: int = POOL_SIZE) -> tuple[PoolPerson, ...]:
    """`size` people with distinct person keys, in popularity order (most sessions first)."""
    rng = random.Random(f"pool-{seed}")
    people: list[PoolPerson] = []
    seen: set[str] = set()
    while len(people) < size:
        given, family, family_first = rng.choice(NAME_STOCKS)
        first, last = rng.choice(given), rng.choice(family)
        if not family_first and rng.random() < 0.12:
            first = f"{first} {rng.choice(INITIALS)}."
        if rng.random() < 0.2:  # a second given name or family name keeps keys distinct
            other_given, other_family, _ = rng.choice(NAME_STOCKS)
            if rng.random() < 0.5:
                first = f"{first} {rng.choice(other_given).split()[0]}"
            else:
                last = f"{last} {rng.choice(other_family).split()[-1]}"
        name = f"{last} {first}" if family_first else f"{first} {last}"
        key = person_key(name)
        if key in seen or len(name.split()) > 6:
            continue
        seen.add(key)
        people.append(
            PoolPerson(
                name=name,
                role=rng.choice(ROLES),
                organisation=_organisation(rng),
                stakeholder=rng.choice(STAKEHOLDERS),
                region=rng.choice(REGIONS),
                honorific=rng.choice(HONORIFICS) if rng.random() < 0.3 else None,
            )
        )
    return tuple(people)


def _organisation(rng: random.Random) -> str:
    if rng.random() < 0.25:
        return rng.choice(FIXED_ORGS)
    return rng.choice(ORG_PATTERNS).format(city=rng.choice(CITIES), country=rng.choice(COUNTRIES))


def _spelling(rng: random.Random, person: PoolPerson) -> str:
    """One page's spelling of a person: honorifics come and go, accents get lost."""
    name = person.name
    roll = rng.random()
    if roll < 0.08:
        name = _ascii(name)
    elif roll < 0.10 and "ı" not in name:  # "YILDIZ".casefold() is not "yıldız"
        parts = name.split()
        name = " ".join([*parts[:-1], parts[-1].upper()])
    honorific = person.honorific if rng.random() < 0.7 else None
    if honorific is None and rng.random() < 0.1:
        honorific = rng.choice(HONORIFICS)
    return f"{honorific} {name}" if honorific else name


@dataclass(frozen=True, slots=True)
class Focus:
    """What one session is about: a real page keeps to its own topic, a few themes and the
    actors it names. Drawing every sentence from the whole vocabulary put each phrase on
    80-95% of pages (on the real pages in tests/fixtures: 0-36%), so that any `/search`
    matched nearly the whole archive. Even focused, phrases stay commoner than on real
    pages (about 30% of pages each), which keeps the search benchmark on the safe side."""

    topics: tuple[str, ...]
    objects: tuple[str, ...]
    qualifiers: tuple[str, ...]
    actors: tuple[str, ...]


FOCUS_SHARE = 0.95  # the share of topic/object/qualifier draws taken from the session's focus


def _focus(rng: random.Random, title_topics: tuple[str, ...]) -> Focus:
    return Focus(
        topics=title_topics,
        objects=tuple(rng.sample(OBJECTS, 3)),
        qualifiers=tuple(rng.sample(QUALIFIERS, 2)),
        actors=tuple(rng.sample(ACTORS, 3)),
    )


def _pick(rng: random.Random, focused: tuple[str, ...], everything: tuple[str, ...]) -> str:
    return rng.choice(focused if rng.random() < FOCUS_SHARE else everything)


def _sentence(rng: random.Random, focus: Focus) -> str:
    parts = [
        rng.choice(OPENERS),
        rng.choice(VERBS),
        _pick(rng, focus.objects, OBJECTS),
    ]
    if rng.random() < 0.6:
        others = tuple(o for o in focus.objects if o != parts[-1])
        parts.append(rng.choice(("and", "as well as", "together with")))
        parts.append(_pick(rng, others, OBJECTS))
    if rng.random() < 0.5:
        parts.append(f"in relation to {_pick(rng, focus.topics, TOPICS)}")
    parts.append(_pick(rng, focus.qualifiers, QUALIFIERS))
    if rng.random() < 0.4:
        first = _pick(rng, focus.actors, ACTORS)
        others = tuple(a for a in focus.actors if a != first)
        parts.append(f"with {first} and {_pick(rng, others, ACTORS)}")
    return " ".join(parts) + "."


def _paragraph(rng: random.Random, sentences: tuple[int, int], focus: Focus) -> str:
    return " ".join(_sentence(rng, focus) for _ in range(rng.randint(*sentences)))


def _title(rng: random.Random) -> tuple[str, tuple[str, ...]]:
    """A title and the topics it names."""
    topic = rng.choice(TOPICS)
    topic = topic[:1].upper() + topic[1:]
    shape = rng.random()
    if shape < 0.35:
        return f"{rng.choice(TITLE_VERBS)} {rng.choice(TITLE_OBJECTS)} for {topic}", (topic,)
    if shape < 0.6:
        return f"{topic}: {rng.choice(SUBTITLES)}", (topic,)
    if shape < 0.8:
        return f"{topic} {rng.choice(CONTEXTS)}", (topic,)
    other = rng.choice(TOPICS)
    return f"{topic} and {other[:1].upper() + other[1:]} {rng.choice(CONTEXTS)}", (topic, other)


def _question(rng: random.Random, focus: Focus) -> str:
    return (
        f"{rng.choice(THEMES)}: {rng.choice(QUESTION_STARTS)} {_pick(rng, focus.actors, ACTORS)} "
        f"{rng.choice(VERBS)} {_pick(rng, focus.objects, OBJECTS)} "
        f"{_pick(rng, focus.qualifiers, QUALIFIERS)}?"
    )


def _ordinal(day: int) -> str:
    suffix = "th" if 10 <= day % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    return f"{day}{suffix}"


def _when(moment: datetime) -> str:
    return (
        f"{WEEKDAYS[moment.weekday()]}, {_ordinal(moment.day)} {MONTHS[moment.month - 1]}, "
        f"{moment.year} ({moment:%H:%M} UTC)"
    )


class _Numbers:
    """Distinct session numbers per (year, type), with gaps like the real programme."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.next: dict[tuple[int, str], int] = {}

    def take(self, year: int, session_type: str) -> int:
        current = self.next.get((year, session_type), self.rng.randint(1, 20))
        self.next[(year, session_type)] = current + self.rng.randint(1, 4)
        return current


def iter_documents(n: int, seed: int = DEFAULT_SEED) -> Iterator[Document]:
    """`n` synthetic session pages; deterministic in (`n`, `seed`), prefix-stable in `n`."""
    rng = random.Random(seed)
    pool = make_pool(seed)
    # Zipf-like popularity: a few people speak everywhere, most a handful of times.
    cumulative: list[float] = []
    total = 0.0
    for rank in range(len(pool)):
        total += 1.0 / (rank + 10) ** 0.9
        cumulative.append(total)
    numbers = _Numbers(rng)
    types = [t for t in SESSION_TYPES]
    type_weights = [t[3] for t in SESSION_TYPES]
    years = list(YEAR_WEIGHTS)
    year_weights = list(YEAR_WEIGHTS.values())
    for index in range(n):
        year = rng.choices(years, year_weights)[0]
        session_type, spelling, numbered, _ = rng.choices(types, type_weights)[0]
        number = numbers.take(year, session_type) if numbered else None
        layout = "labelled" if rng.random() < LABELLED_SHARE else "seed"
        speaker_count = rng.randint(2, 12)
        moderator_roles = ["onsite"]
        if rng.random() < 0.85:
            moderator_roles.append("online")
        if rng.random() < 0.85:
            moderator_roles.append("rapporteur")
        people: list[PoolPerson] = []
        keys: set[str] = set()
        while len(people) < speaker_count + len(moderator_roles):
            person = rng.choices(pool, cum_weights=cumulative)[0]
            if person.key not in keys:
                keys.add(person.key)
                people.append(person)
        document = _render(
            rng,
            index=index,
            year=year,
            session_type=session_type,
            spelling=spelling,
            number=number,
            layout=layout,
            speakers=people[:speaker_count],
            moderators=dict(zip(moderator_roles, people[speaker_count:], strict=True)),
        )
        yield document


def _render(
    rng: random.Random,
    *,
    index: int,
    year: int,
    session_type: str,
    spelling: str,
    number: int | None,
    layout: str,
    speakers: list[PoolPerson],
    moderators: dict[str, PoolPerson],
) -> Document:
    title, title_topics = _title(rng)
    focus = _focus(rng, title_topics)
    if session_type == "Main Session":
        heading = f"IGF {year} Main Session: {title}"
    elif session_type == "NRI":
        heading = f"IGF {year} NRIs {title}"
        title = f"NRIs {title}"
    else:
        heading = f"IGF {year} {spelling} #{number} {title}"

    month, first_day = FORUM_WEEKS[year]
    day_offset = -1 if session_type == "Day 0 Event" else rng.randint(0, 4)
    fmt, durations = rng.choice(FORMATS)
    minutes = rng.choice(durations)
    start = datetime(year, month, first_day, 6, 0) + timedelta(
        days=day_offset, minutes=15 * rng.randint(0, 44)
    )
    end = start + timedelta(minutes=minutes)
    schedule = f"{_when(start)} - {_when(end)}"
    room = rng.choice(ROOMS)
    sdgs = sorted(rng.sample(range(1, 18), rng.randint(1, 5)))
    takeaways = [_paragraph(rng, (2, 4), focus) for _ in range(rng.randint(1, 3))]
    calls = [_paragraph(rng, (1, 3), focus) for _ in range(rng.randint(1, 2))]
    organizers = sorted({_organisation(rng) for _ in range(rng.randint(1, 3))})
    description = [_paragraph(rng, (3, 7), focus) for _ in range(rng.randint(1, 4))]
    questions = [_question(rng, focus) for _ in range(rng.randint(0, 3))]

    if layout == "seed":
        lines = _seed_layout(
            rng,
            heading=heading,
            schedule=schedule,
            room=room,
            questions=questions,
            fmt=fmt,
            minutes=minutes,
            description=description,
            organizers=organizers,
            speakers=speakers,
            moderators=moderators,
            sdgs=sdgs,
            focus=focus,
        )
    else:
        lines = _labelled_layout(
            rng,
            heading=heading,
            schedule=schedule,
            room=room,
            questions=questions,
            fmt=fmt,
            minutes=minutes,
            description=description,
            organizers=organizers,
            speakers=speakers,
            moderators=moderators,
            sdgs=sdgs,
        )
    lines += ["Key Takeaways (* deadline 2 hours after session)", ""]
    for paragraph in takeaways:
        lines += [paragraph, ""]
    lines += ["Call to Action (* deadline 2 hours after session)", ""]
    for paragraph in calls:
        lines += [paragraph, ""]
    if rng.random() < 0.5:
        lines += _report(rng, speakers, moderators, focus)

    text = "\n".join(lines).rstrip() + "\n"
    slug = f"{year}-{session_type.lower().replace(' / ', '-').replace(' ', '-')}"
    digest = hashlib.sha1(text.encode()).hexdigest()[:16]
    expected = Expected(
        heading=heading,
        title=title,
        year=year,
        session_type=session_type,
        number=number,
        layout=layout,
        speakers=tuple(p.key for p in speakers),
        onsite=tuple(p.key for p in [moderators["onsite"]]),
        online=tuple(p.key for p in [moderators.get("online")] if p),
        rapporteurs=tuple(p.key for p in [moderators.get("rapporteur")] if p),
        sdgs=tuple(sdgs),
        takeaways=len(takeaways),
        calls=len(calls),
    )
    return Document(f"{index:05d}_{slug}_{digest}.txt", text, expected)


def _speaker_line(rng: random.Random, person: PoolPerson) -> str:
    name = _spelling(rng, person)
    if rng.random() < 0.15:
        return f"{name}, {person.organisation}"
    return f"{name}, {person.role}, {person.organisation}"


def _seed_layout(
    rng: random.Random,
    *,
    heading: str,
    schedule: str,
    room: str,
    questions: list[str],
    fmt: str,
    minutes: int,
    description: list[str],
    organizers: list[str],
    speakers: list[PoolPerson],
    moderators: dict[str, PoolPerson],
    sdgs: list[int],
    focus: Focus,
) -> list[str]:
    """The layout of seeds/*.txt: no labels on organizers, speakers or the rapporteur."""
    lines = [heading, "", schedule, room, ""]
    if questions:
        lines += [*questions, ""]
    lines.append(f"{fmt} - {minutes} Min")
    if fmt == "Other" and rng.random() < 0.7:
        lines.append(f"Format description: {rng.choice(FORMAT_DESCRIPTIONS)}")
    lines += ["", ""]
    for paragraph in description:
        lines += [paragraph, ""]
    lines.append("")
    separate = rng.random() < 0.5
    for organizer in organizers:
        lines += [organizer, ""] if separate else [organizer]
    lines += ["", ""] if not separate else [""]

    if len(speakers) >= 4 and rng.random() < 0.4:
        # "Topic 1: …" segments, a keynote first and closing remarks last.
        # As in seed 000, the block opens with a speaker: a segment line that follows a
        # speaker and is followed by another segment names what that speaker does.
        topics = rng.sample(TOPICS, 2)
        lines.append(_speaker_line(rng, speakers[0]))
        lines.append(rng.choice(("Keynote Speech", "Opening Remarks")))
        middle = speakers[1:-1]
        half = max(1, len(middle) // 2)
        for i, group in enumerate((middle[:half], middle[half:]), start=1):
            if not group:
                continue
            lines.append(f"Topic {i}: {topics[i - 1][:1].upper() + topics[i - 1][1:]}")
            lines += [_speaker_line(rng, p) for p in group]
        lines.append(rng.choice(("Concluding Remarks", "Closing Remarks")))
        lines.append(_speaker_line(rng, speakers[-1]))
    else:
        first = _speaker_line(rng, speakers[0])
        if rng.random() < 0.15:
            first += " [opening speech]"
        lines.append(first)
        lines += [_speaker_line(rng, p) for p in speakers[1:]]
    lines.append("")

    onsite = moderators["onsite"]
    onsite_line = _spelling(rng, onsite) if rng.random() < 0.4 else _speaker_line(rng, onsite)
    lines += ["Onsite Moderator", "", onsite_line, ""]
    if "online" in moderators:
        lines += ["Online Moderator", "", _speaker_line(rng, moderators["online"]), "", ""]
    if "rapporteur" in moderators:
        rapporteur = moderators["rapporteur"]
        if "online" not in moderators:
            lines += ["Rapporteur", ""]  # unlabelled, it would fill the online slot
        lines += [_speaker_line(rng, rapporteur), "", ""]
    lines.append("")
    lines += [f"{n}. {SDG_NAMES[n]}" for n in sdgs]
    lines.append("")
    if rng.random() < 0.5:
        lines += [f"Targets: {_paragraph(rng, (1, 2), focus)}", ""]
    else:
        lines += [f"Targets: {' '.join(str(n) for n in sdgs)}", ""]
    return lines


def _labelled_line(rng: random.Random, person: PoolPerson) -> str:
    return f"{_spelling(rng, person)}, {person.stakeholder}, {person.region}"


def _labelled_layout(
    rng: random.Random,
    *,
    heading: str,
    schedule: str,
    room: str,
    questions: list[str],
    fmt: str,
    minutes: int,
    description: list[str],
    organizers: list[str],
    speakers: list[PoolPerson],
    moderators: dict[str, PoolPerson],
    sdgs: list[int],
) -> list[str]:
    """The 2019-2021 workshop layout: "Organizer 1: …", "Speaker 1: …", GOAL lines."""
    lines = [heading, "", schedule, room, ""]
    organizer_people = [_spelling(rng, p) for p in speakers[: len(organizers)]]
    for i, (organizer, who) in enumerate(zip(organizers, organizer_people, strict=False), 1):
        lines.append(f"Organizer {i}: {who}, {organizer}")
    lines.append("")
    for i, person in enumerate(speakers, 1):
        lines.append(f"Speaker {i}: {_labelled_line(rng, person)}")
    lines.append("")
    explicit = rng.random() < 0.5  # 2019 pages keep every label; 2021 pages lose some
    onsite = moderators["onsite"]
    lines += (
        ["Moderator", "", _labelled_line(rng, onsite), ""]
        if explicit
        else [
            "",
            _labelled_line(rng, onsite),
            "",
        ]
    )
    if "online" in moderators:
        lines += ["Online Moderator", "", _labelled_line(rng, moderators["online"]), "", ""]
    if "rapporteur" in moderators:
        if explicit or "online" not in moderators:
            lines += ["Rapporteur", ""]
        lines += [_labelled_line(rng, moderators["rapporteur"]), "", ""]
    lines += [f"{fmt} - {minutes} Min", ""]
    if fmt == "Other" and rng.random() < 0.7:
        lines[-1:] = [f"Format description: {rng.choice(FORMAT_DESCRIPTIONS)}", ""]
    if questions:
        lines += ["Policy Question(s)", ""]
        lines += [q.split(": ", 1)[1] for q in questions]
        lines.append("")
    for paragraph in description:
        lines += [paragraph, ""]
    lines.append("")
    lines += [f"GOAL {n}: {SDG_NAMES[n]}" for n in sdgs]
    lines += ["", ""]
    return lines


def _report(
    rng: random.Random,
    speakers: list[PoolPerson],
    moderators: dict[str, PoolPerson],
    focus: Focus,
) -> list[str]:
    """A session report opening with the people lines of seed 001 (names already listed)."""
    lines = [f"Moderator: {_spelling(rng, moderators['onsite'])}"]
    lines.append("Panelists: " + " / ".join(_spelling(rng, p) for p in speakers))
    if "rapporteur" in moderators:
        lines.append(f"Rapporteur: {_spelling(rng, moderators['rapporteur'])}")
    lines.append("")
    for _ in range(rng.randint(2, 6)):
        paragraph = _paragraph(rng, (2, 6), focus)
        named = rng.choice(speakers).name
        lines += [f"{named} noted that {paragraph[:1].lower()}{paragraph[1:]}", ""]
    return lines


# ------------------------------------------------------------------------------- I/O, checks


@dataclass(slots=True)
class CorpusInfo:
    """What the benchmark keeps of a written corpus (the texts themselves stay on disk)."""

    directory: Path
    files: list[Path]
    bytes: int
    expected: list[Expected]
    checked: int = 0
    problems: list[str] = field(default_factory=list)


def write_corpus(
    directory: Path, n: int, seed: int = DEFAULT_SEED, *, check_sample: int = 0
) -> CorpusInfo:
    """Write `n` documents to `directory`, one at a time (texts are not kept in memory).

    With `check_sample`, about that many documents spread over the corpus are parsed with the
    real parser and compared with what they were generated from (`check_document`).
    """
    directory.mkdir(parents=True, exist_ok=True)
    info = CorpusInfo(directory, [], 0, [])
    step = max(1, n // check_sample) if check_sample else 0
    for index, document in enumerate(iter_documents(n, seed)):
        path = directory / document.filename
        data = document.text.encode("utf-8")
        path.write_bytes(data)
        info.bytes += len(data)
        info.files.append(path)
        info.expected.append(document.expected)
        if step and index % step == 0:
            info.checked += 1
            info.problems += check_document(document)
    return info


def check_document(document: Document) -> list[str]:
    """Parse `document` with the real parser; the differences from what was generated."""
    from bot.names import person_key as key_of
    from bot.parser import parse_bytes

    exp = document.expected
    session = parse_bytes(document.text.encode("utf-8"), document.filename)
    problems = []

    def differ(what: str, got: object, want: object) -> None:
        if got != want:
            problems.append(f"{document.filename}: {what}: parsed {got!r}, generated {want!r}")

    differ("session_type", session.session_type, exp.session_type)
    differ("number", session.number, exp.number)
    differ("year", session.year, exp.year)
    differ("title", session.title, exp.title)
    differ("speaker count", len(session.speakers), len(exp.speakers))
    differ("speakers", tuple(key_of(s.name) for s in session.speakers), exp.speakers)
    differ("onsite", tuple(key_of(p.name) for p in session.onsite_moderators), exp.onsite)
    differ("online", tuple(key_of(p.name) for p in session.online_moderators), exp.online)
    differ("rapporteurs", tuple(key_of(p.name) for p in session.rapporteurs), exp.rapporteurs)
    differ("sdgs", tuple(s.number for s in session.sdgs), exp.sdgs)
    differ("takeaways", len(session.key_takeaways), exp.takeaways)
    differ("calls", len(session.calls_to_action), exp.calls)
    return problems


def check_documents(documents: Iterable[Document]) -> tuple[int, list[str]]:
    """(documents checked, problems) for a sample of documents."""
    count, problems = 0, []
    for document in documents:
        count += 1
        problems += check_document(document)
    return count, problems
