"""What a careful reader sees on each real IGF page of the corpus: the parser's ground truth.

Batch 1 (tests/fixtures/corpus/*.txt, tests/fixtures/not-sessions/) is the fact table that
tests/test_parser.py has carried since the first corpus, copied here unchanged. Batch 2
(tests/fixtures/corpus/batch2/, issue #13) adds the page generations batch 1 lacks. These are
data, not tests: tests/test_parser.py and bench/parser_quality.py read them.

Keys of a page's facts and how a parsed `bot.models.Session` is held against them:

- `speakers`, `onsite`, `online`, `rapporteurs`: the exact list of names, in page order
  (`speakers`, `onsite_moderators`, `online_moderators`, `rapporteurs`).
- `speakers_include`: these names are among the speakers (the rest of the list is not stated).
- `organizers`: the exact organiser lines; `organizers_start`: the first organiser lines.
- `organizer_people`: the people named as organisers, names only, in page order. Today's
  `Session.organizers` is a flat list of lines, so bench/parser_quality.py reads the leading
  name of each "Name, Affiliation" line (see its `organizer_people`).
- `organizer_orgs`: organisations that organise the session (not a person's affiliation);
  each one is an organiser line of its own.
- `sdgs`: the SDG numbers, in order; `policy_question_count`: how many policy questions.
- `format_description_start`: the start of `format_description`.
- any other key (`title`, `event`, `year`, `session_type`, `number`, `starts_at`, `ends_at`,
  `room`, `format`, `duration_minutes`): equal to the attribute of that name.

A key is absent when the page does not show the fact, or shows it in a way a reader could take
two ways (a page cut in the middle of a list gives no count); it is None when the page
visibly lacks it and a parser could be tempted to fill it from something else. Times are UTC:
a local time without a zone is the venue's (bot.vocabulary.VENUE_ZONES), noted beside it.
Names are as the page writes them (capitals kept), without honorifics, affiliations or
doubled surnames.
"""

from __future__ import annotations

from datetime import UTC, datetime

# ------------------------------------------------------------------------------------ batch 1

CORPUS_FACTS_BATCH1: dict[str, dict[str, object]] = {
    "igf-2010-dc-gender.txt": dict(
        event="IGF 2010", session_type="Dynamic Coalition", title="Dynamic Coalition on Gender"
    ),
    "igf-2015-main-setting-the-scene.txt": dict(
        event="IGF 2015", session_type="Main Session", title="Setting the Scene"
    ),
    "igf-2016-main-bpfs-cenb.txt": dict(
        event="IGF 2016",
        session_type="Main Session",
        duration_minutes=90,
        starts_at=datetime(2016, 12, 9, 16, 0, tzinfo=UTC),  # 10:00 in Guadalajara
        ends_at=datetime(2016, 12, 9, 17, 30, tzinfo=UTC),
        onsite=["Helani Galpaya", "Alison Gillwald"],
        speakers_include=[
            "Constance Bommelaer",
            "Frank Larue",
            "Alex Wong",
            "Markus Kummer",
            "Izumi Okutani",
        ],
    ),
    "igf-2017-ws-100.txt": dict(
        number=100,
        session_type="Workshop",
        format="Break-out Group Discussions",
        duration_minutes=90,
        speakers=[
            "Audrey Plonk",
            "Nguyen Trong Duong",
            "Lara Pace",
            "Belisario Contreras",
            "Didier Nkurikiyimfura",
            "Arnold van Rhijn",
            "Lillian Nalwoga",
        ],
        organizers_start=["Sophie Tomlinson, ICC BASIS", "Timea Suto, ICC BASIS"],
    ),
    "igf-2018-ws-376.txt": dict(
        number=376,
        title="Innovative approaches to connecting underserved areas",
        room="Salle XI",
        format="Panel",
        duration_minutes=90,
        speakers=[
            "Dada John",
            "Ritu Srivastava",
            "Bill Murdoch",
            "Peter Bloom",
            "Karla Valesco",
            "Matthew Rantanen",
            "Gonzalo Lopez-Barajas",
            "Loreto Bravo",
        ],
        onsite=["Sebastian Bellagamba"],
        online=["Katie Watson"],
        rapporteurs=["Katie Watson"],
        organizers=["Bellagama Sebastian, Internet Society", "Peter Bloom, Rhizomatica"],
    ),
    "igf-2019-intro-breakout-data-governance.txt": dict(
        session_type="Introductory Session", title="Data Governance", starts_at=None
    ),
    "igf-2019-ws-415.txt": dict(
        title="Multilingual Internet: support local languages and scripts",
        number=415,
        format="Round Table - U-shape",
        duration_minutes=90,
        sdgs=[9, 10, 11],
        policy_question_count=6,
        speakers=["Satish Babu", "Edmon Chung", "Natalia Filina", "Patrik Fältström"],
        onsite=["Edmon Chung"],
        online=["Natalia Filina"],
        rapporteurs=["Satish Babu"],
    ),
    "igf-2020-ws-136.txt": dict(
        number=136,
        format="Round Table - Circle",
        duration_minutes=60,
        sdgs=[16],
        policy_question_count=1,
        speakers=["Cristina Tardaguila", "Lisa Garcia", "Asad Baig"],
        organizers=["Civil Society, Asia-Pacific Group", "Civil Society, Asia-Pacific Group"],
    ),
    "igf-2020-ws-229.txt": dict(
        number=229,
        format="Round Table - U-shape",
        duration_minutes=90,
        speakers_include=["Farzaneh Badii", "Guilherme Canela Godoi", "Vargas Paula"],
    ),
    "igf-2021-introductory-session-iii.txt": dict(
        session_type="Introductory Session",
        number=3,
        starts_at=datetime(2021, 11, 3, 13, 0, tzinfo=UTC),
        ends_at=None,
        room=None,
        onsite=["Avri Doria"],
        speakers_include=["Maria Paz Canales", "Ben Wallis", "Paula Martins"],
    ),
    "igf-2021-of-16.txt": dict(
        number=16,
        title="Globalpolicy.ai",
        room="Hall A3",
        format="Panel - Auditorium",
        starts_at=datetime(2021, 12, 9, 15, 50, tzinfo=UTC),
        policy_question_count=2,
    ),
    "igf-2021-of-5.txt": dict(
        number=5, room="Ballroom B", format="Round Table - U-shape", policy_question_count=2
    ),
    "igf-2021-th-35.txt": dict(
        session_type="Town Hall",
        number=35,
        room="Conference Room 8",
        format="Round Table - U-shape",
        starts_at=datetime(2021, 12, 7, 14, 0, tzinfo=UTC),
        policy_question_count=1,
        organizers=[],
    ),
    "igf-2021-ws-170.txt": dict(
        number=170,
        room="Conference Room 6",
        format="Panel - Auditorium",
        duration_minutes=90,
        speakers=[
            "Beeban Kidron",
            "Hoda Dahroug",
            "Kenneth Adu-Amanfoh",
            "Thomas Salzmann",
            "David Miles",
            "Tomasz Kulasa",
            "Agne Kaarlep",
        ],
        onsite=["Jutta Croll"],
        online=["Torsten Krause"],
        rapporteurs=["Marlene Fasolt"],
    ),
    "igf-2021-ws-35.txt": dict(
        number=35,
        room="Conference Room 3",
        format="Round Table - Circle",
        speakers=[
            "Rob McMahon",
            "Risper Nyambok",
            "Gustaff Harriman Iskandar",
            "Ronda Železný-Green",
            "Roxana Widmer-Iliescu",
        ],
        onsite=["Carlos Francisco Baca Feldman"],
        online=["Lilian Chamorro Rojas"],
        rapporteurs=["Ndunge Kiundi"],
    ),
    "igf-2022-nri-coordination-session.txt": dict(
        session_type="NRI",
        number=None,
        room="Banquet Hall B",
        duration_minutes=70,
        starts_at=datetime(2022, 11, 28, 10, 0, tzinfo=UTC),
    ),
    "igf-2022-ws-162.txt": dict(
        number=162,
        room=None,
        format="Panel - Auditorium",
        policy_question_count=3,
        speakers=[
            "Lee McKnight",
            "Andre Laperriere",
            "Jane Asantewaa Appiah-Okyere",
            "Ephrem Kwaa-Aidoo",
        ],
        onsite=["Kwaku Antwi"],
        online=["Thokozile Precious Miya"],
        rapporteurs=["Taiwo Peter Akinremi"],
    ),
    "igf-2022-ws-482.txt": dict(
        number=482,
        room="Large Briefing Room",
        sdgs=[3, 4, 5, 8, 9, 10, 16],
        policy_question_count=3,
        onsite=["Laura Schwartz-Henderson"],
        online=["DIAGNE El Hadji Daouda"],
        rapporteurs=["Benjamin Whitehead"],
    ),
    "igf-2023-of-86.txt": dict(
        number=86,
        room="WS 8 – Room C-1",
        format="Other",
        duration_minutes=60,
        speakers=[],
        format_description_start="Format #8: Open Forum",
    ),
    "igf-2023-ws-164.txt": dict(
        number=164,
        format="Round Table",
        policy_question_count=2,
        onsite=["Lorenzo Vargas"],
        online=["Nils Brock"],
        rapporteurs=["Lorenzo Vargas"],
    ),
    "igf-2023-ws-197.txt": dict(
        number=197,
        room="WS 1 – Annex Hall 1",
        organizers=[
            "Timea Suto, International Chamber of Commerce",
            "Rose Payne, International Chamber of Commerce",
        ],
        onsite=["Timea Suto"],
        online=["Rose Payne"],
        rapporteurs=["Meni ANASTASIADOU"],
        speakers_include=["David Pendle", "Raúl Echeberría"],
    ),
    "igf-2023-ws-318.txt": dict(
        number=318,
        policy_question_count=3,
        onsite=["Man Hei Connie Siu"],
        online=["Saba Tiku Beyene"],
        rapporteurs=["Kateryna Bovsunovska"],
        organizers_start=["Man Hei Connie Siu, International Telecommunication Union"],
    ),
    "igf-2023-ws-403.txt": dict(
        number=403,
        room="WS 1 – Annex Hall 1",
        onsite=["Marija Manojlovic"],
        online=["Natalie Shoup"],
        speakers_include=["Albert Antwi-Boasiako", "Henri Verdier", "Salomé Eggler"],
    ),
    "igf-2024-lt-22.txt": dict(
        session_type="Lightning Talk",
        number=22,
        sdgs=[7, 9, 12, 13, 15, 17],
        speakers=["Karen Woo", "Jasmine Ko", "Ida Padikuor Na-Tei"],
        onsite=["Athanase Bahizire"],
        online=["Denise Leal"],
        organizers_start=["Youth IGF DRC"],
    ),
    "igf-2024-of-27.txt": dict(
        number=27,
        format="Theater",
        duration_minutes=60,
        organizers=["Ministry of Internal Affairs and Communications"],
        onsite=["Yoichi Iida", "Yuka Nishimura", "Honoka Ninagawa"],
    ),
    "igf-2024-of-54.txt": dict(
        number=54, format=None, duration_minutes=90, format_description_start="The theatre seating"
    ),
    "igf-2024-ws-42.txt": dict(
        number=42,
        format="Roundtable",
        duration_minutes=90,
        policy_question_count=3,
        onsite=["Len Manriquez"],
        online=["Jim Prendergast"],
        rapporteurs=["Samantha Dickinson"],
    ),
    "igf-2024-ws-93.txt": dict(
        number=93,
        format="Theater",
        duration_minutes=60,
        onsite=["Xiao Zhang"],
        online=["Lang Wang"],
        rapporteurs=["Xitao Jiang"],
        speakers=[
            "Health Yao",
            "Edmon Chung",
            "Abdalmonem Tharwat Galila",
            "Anil Kumar Jain",
            "Xianhong Hu",
        ],
    ),
    "igf-2025-day0-17.txt": dict(
        session_type="Day 0 Event",
        number=17,
        format="Theater",
        sdgs=[16, 17],
        onsite=["Beltsazar Krisetya"],
        online=["Maria Monica Wihardja"],
        rapporteurs=["Patricia Larasgita"],
        organizers_start=["Centre for Strategic and International Studies"],
        speakers_include=["Arianne Santoso", "Robert Nicholls"],
    ),
    "igf-2025-launch-award-126.txt": dict(
        session_type="Launch / Award",
        number=126,
        organizers_start=["Women in Internet Governance"],
        speakers_include=["Raymond Mamattah", "Gloria F. Amofah-Adjekum", "June Parris"],
    ),
    "igf-2025-ws-263.txt": dict(
        number=263,
        format="Classroom",
        duration_minutes=90,
        policy_question_count=3,
        speakers=[
            "Samson Esayas",
            "Isobel Acquah",
            "Vebjørn Røskar Krågebakk",
            "Noha Lea Halim",
            "Fabienne Marco",
        ],
    ),
}

REJECTIONS_BATCH1: dict[str, str] = {
    "call-for-town-halls-2023.txt": "call for proposals",
    "digwatch-2023-open-mic-v2.txt": "third-party report",
    "friendsoftheigf-2010-closing-transcript.txt": "transcript",
    "igf-2025-of-30-transcript.txt": "transcript",
    "sched-2024-12-19-list.txt": "list of several sessions",
}


# ------------------------------------------------------------------------------------ batch 2

CORPUS_FACTS_BATCH2: dict[str, dict[str, object]] = {
    # No title on the page: only a date line and the description ("This workshop will ...").
    "igf-2011-ws-mapping-internet-governance.txt": dict(
        event="IGF 2011",
        year=2011,
        session_type="Workshop",
        starts_at=datetime(2011, 9, 28, 6, 0, tzinfo=UTC),  # 09:00 in Nairobi
        ends_at=datetime(2011, 9, 28, 7, 30, tzinfo=UTC),
        duration_minutes=90,
        room=None,
        speakers=[],
    ),
    # "12 November 2015 - A Workshop on Other in João Pessoa, Brazil": a date, no time.
    "igf-2015-ws-igf-initiatives-masterchef.txt": dict(
        title="IGF initiatives MasterChef",
        event="IGF 2015",
        year=2015,
        session_type="Workshop",
        number=None,
        starts_at=None,
        room=None,
        speakers=[],
    ),
    # Schedule site: banner, "Venue Map", "Back To Schedule", then the date; the title is quoted.
    "igf-2017-main-dynamic-coalitions.txt": dict(
        title="Dynamic Coalitions: Contribute to the Digital Future!",
        event="IGF 2017",
        year=2017,
        session_type="Main Session",
        number=None,
        starts_at=datetime(2017, 12, 20, 9, 0, tzinfo=UTC),  # 10:00 in Geneva
        ends_at=datetime(2017, 12, 20, 10, 30, tzinfo=UTC),
        duration_minutes=90,
        room="Room XVII",
    ),
    # Opens with "Room / Salle I (Main)"; heading "IGF MAIN SESSION ON CYBERSECURITY, ...".
    "igf-2018-main-cybersecurity-trust-privacy.txt": dict(
        title="CYBERSECURITY, TRUST & PRIVACY",
        event="IGF 2018",
        year=2018,
        session_type="Main Session",
        number=None,
        starts_at=datetime(2018, 11, 13, 9, 0, tzinfo=UTC),  # 10:00 in Paris
        ends_at=datetime(2018, 11, 13, 10, 20, tzinfo=UTC),
        duration_minutes=80,
        room="Salle I (Main)",
    ),
    # Breadcrumb "You are here"; the heading is cut ("... Main Ses"), the title line follows.
    "igf-2019-dc-gender-internet-governance.txt": dict(
        title="Dynamic Coalition on Gender and Internet Governance",
        event="IGF 2019",
        year=2019,
        session_type="Dynamic Coalition",
        number=None,
        format="Round Table - Circle",
        duration_minutes=90,
        starts_at=None,
        room=None,
    ),
    "igf-2019-ws-289.txt": dict(
        title="Development of Technical Internet Policies and Social Values",
        event="IGF 2019",
        year=2019,
        session_type="Workshop",
        number=289,
        format="Birds of a Feather - Auditorium",
        duration_minutes=60,
        starts_at=None,
        room=None,
        organizer_people=["Constanze Buerger", "Matt Miller", "Michael J. Oghia", "Tahar Schaa"],
        speakers=["Constanze Buerger", "jin yan", "Tahar Schaa"],
        policy_question_count=5,  # five questions in one paragraph
    ),
    # No heading: the page opens with "Time"; type and number only in the URL.
    "igf-2020-of-21.txt": dict(
        event="IGF 2020",
        year=2020,
        session_type="Open Forum",
        number=21,
        starts_at=datetime(2020, 11, 5, 8, 40, tzinfo=UTC),
        ends_at=datetime(2020, 11, 5, 9, 40, tzinfo=UTC),
        room="Room 2",
        format="Birds of a Feather - Auditorium",
        duration_minutes=60,
    ),
    # Organisers are stakeholder-group lines only; the format says 90 Min but the slot is 60:
    # no duration stated here.
    "igf-2020-ws-210.txt": dict(
        title="Nobody Left Behind - Interregional Cyber Capacity Building",
        event="IGF 2020",
        year=2020,
        session_type="Workshop",
        number=210,
        starts_at=datetime(2020, 11, 12, 7, 20, tzinfo=UTC),
        ends_at=datetime(2020, 11, 12, 8, 20, tzinfo=UTC),
        room="Room 1",
        format="Break-out Group Discussions - Round Tables",
        organizer_people=[],
        speakers=[
            "Liga Rozentale",
            "Latha Reddy",
            "Bart Hogeveen",
            "Folake Olagunju",
            "Kerstin Vignard",
        ],
        policy_question_count=5,  # five "•" items on one line
    ),
    # "Additional Speakers / Propose speakers" bullets repeat two labelled speakers.
    "igf-2020-ws-37.txt": dict(
        title="Community Network, Electricity and Digital Inclusion",
        event="IGF 2020",
        year=2020,
        session_type="Workshop",
        number=37,
        starts_at=datetime(2020, 11, 9, 7, 40, tzinfo=UTC),
        ends_at=datetime(2020, 11, 9, 9, 10, tzinfo=UTC),
        room="Room 2",
        format="Panel - Auditorium",
        duration_minutes=90,
        organizer_people=[],
        speakers_include=[
            "Salanieta Tamanikaiwaimaro",
            "Zeina Bou Harb",
            "Carlos Rey Moreno",
            "Kwaku Antwi",
            "Fuatai Gisa Purcell",
            "Andre Laperriere",
            "Michuki Mwangi",
            "Onica Nonhlanhla Makwakwa",
            "Samuel Nartey George",
            "Stephanie Pariel",
            "Stanley Kwakye Dankyira",
        ],
    ),
    # Banner "Check-in and access this session from the IGF Schedule."; moderators in one line.
    "igf-2021-main-trust-matters.txt": dict(
        title="Trust matters: exploring ways for building a safe and secure cyberspace",
        event="IGF 2021",
        year=2021,
        session_type="Main Session",
        number=None,
        starts_at=datetime(2021, 12, 10, 8, 30, tzinfo=UTC),
        ends_at=datetime(2021, 12, 10, 10, 0, tzinfo=UTC),
        duration_minutes=90,
        room="Plenary Room",
        onsite=["Chris Dispain"],
        online=["Amrita Choudhury", "Lucien Castex"],
        policy_question_count=6,
    ),
    # No heading: opens with "Session" and two issue paragraphs; type and number in the URL.
    "igf-2021-th-63.txt": dict(
        event="IGF 2021",
        year=2021,
        session_type="Town Hall",
        number=63,
        format="Round Table - Circle",
        duration_minutes=60,
        starts_at=None,
        room=None,
    ),
    # Heading and title on two lines; onsite moderator and rapporteur names stand unlabelled.
    "igf-2021-ws-195.txt": dict(
        title="Building an empowering online environment for children",
        event="IGF 2021",
        year=2021,
        session_type="Workshop",
        number=195,
        format="Round Table - Circle",
        duration_minutes=60,
        starts_at=None,
        room=None,
        organizer_people=["Anamaria Meshkurti"],
        speakers=["Tomco Vilma", "Katalin Baracsi", "Mesut Kilic"],
        onsite=["Anamaria Meshkurti"],
        online=["Jaroslaw Karol PONDER"],
        rapporteurs=["Anamaria Meshkurti"],
        policy_question_count=1,
        sdgs=[4, 10],
    ),
    # The type is only the name "Global Youth Summit", held on 28 November, Day 0 of IGF 2022.
    "igf-2022-global-youth-summit.txt": dict(
        title="Global Youth Summit",
        event="IGF 2022",
        year=2022,
        session_type="Day 0 Event",
        number=None,
        starts_at=datetime(2022, 11, 28, 8, 15, tzinfo=UTC),
        ends_at=datetime(2022, 11, 28, 9, 45, tzinfo=UTC),
        duration_minutes=90,
        room=None,
    ),
    "igf-2022-th-54.txt": dict(
        title="Help! The Kill switch is taking away my limited agency",
        event="IGF 2022",
        year=2022,
        session_type="Town Hall",
        number=54,
        starts_at=datetime(2022, 12, 1, 9, 0, tzinfo=UTC),
        ends_at=datetime(2022, 12, 1, 10, 0, tzinfo=UTC),
        room=None,
        format="Panel - Auditorium",
        duration_minutes=60,
    ),
    "igf-2022-ws-283.txt": dict(
        title="Capacity Building for Safe & Secure Cyberspace: Making It Real",
        event="IGF 2022",
        year=2022,
        session_type="Workshop",
        number=283,
        starts_at=datetime(2022, 12, 1, 13, 45, tzinfo=UTC),
        ends_at=datetime(2022, 12, 1, 14, 45, tzinfo=UTC),
        room="Caucus Room 11",
        format="Round Table - Circle",
        duration_minutes=60,
        organizer_people=["Kathleen Bei", "Marjo Baayen", "Elliot Mayhew", "Kerry-Ann Barrett"],
        speakers=[
            "Sylvia Cadena",
            "Jaqueline Pateguana",
            "Kerry-Ann Barrett",
            "Kaja Ciglic",
            "Andrea Calderaro",
        ],
        onsite=["Marjo Baayen"],
        online=["Kathleen Bei"],
        rapporteurs=["Elliot Mayhew"],
        policy_question_count=3,  # three questions in one paragraph
    ),
    # Title alone on the first line; "Main Session of the Dynamic Coalitions" after the room.
    "igf-2023-main-dc-internet-we-want.txt": dict(
        title="The Internet We Want - Human Rights in the digital space to accelerate the SDGs",
        event="IGF 2023",
        year=2023,
        session_type="Main Session",
        number=None,
        starts_at=datetime(2023, 10, 12, 5, 0, tzinfo=UTC),
        ends_at=datetime(2023, 10, 12, 6, 30, tzinfo=UTC),
        duration_minutes=90,
        room="Main Hall",
    ),
    # "🔒" stands where an affiliation is hidden; policy questions numbered 1, 3, 4.
    "igf-2023-ws-115.txt": dict(
        title="Rural and Urban Poor Community Network and Electricity",
        event="IGF 2023",
        year=2023,
        session_type="Workshop",
        number=115,
        starts_at=None,
        room=None,
        format="Panel",
        duration_minutes=90,
        organizer_people=[
            "Wisdom Kwasi Donkor",
            "Lee McKnight",
            "Danielle Smith",
            "Kwaku Antwi",
            "Jane Asantewaa Appiah-Okyere",
            "Zanyiwe Asare",
            "Taiwo Peter Akinremi",
            "Stephen Mawutor Donkor",
        ],
        speakers=["Lee McKnight", "Onica Makwakwa", "Neema Lugangira", "Samuel George"],
        onsite=["Zanyiwe Asare"],
        online=["Thokozile Precious Miya"],
        rapporteurs=["Taiwo Peter Akinremi"],
        policy_question_count=3,
    ),
    # Published under a logout URL; labelled "Moderator", "Online Moderator", "Rapporteur".
    "igf-2023-ws-170.txt": dict(
        title="Global cooperation to advance children's rights online",
        event="IGF 2023",
        year=2023,
        session_type="Workshop",
        number=170,
        starts_at=None,
        room=None,
        format="Birds of a Feather",
        duration_minutes=60,
        organizer_people=["Farthing Rys", "Shiferaw Bzu", "Maria Góes de Mello"],
        speakers=["Teki Akuetteh", "Hartung Pedro", "Farthing Rys"],
        onsite=["Dawkins Alice"],
        online=["Shiferaw Bzu"],
        rapporteurs=["Nguyen Matt"],
        policy_question_count=4,
    ),
    # "Stefaan G Verhulst Verhulst": a doubled surname.
    "igf-2023-ws-313.txt": dict(
        title="Generative AI systems facing UNESCO AI Ethics Recommendation",
        event="IGF 2023",
        year=2023,
        session_type="Workshop",
        number=313,
        starts_at=datetime(2023, 10, 12, 2, 0, tzinfo=UTC),
        ends_at=datetime(2023, 10, 12, 3, 30, tzinfo=UTC),
        room="WS 1 – Annex Hall 1",
        format="Round Table",
        duration_minutes=90,
        organizer_people=["Noémi Bontridder", "Yves POULLET", "Xianhong Hu"],
        speakers=[
            "GABRIELA RAMOS",
            "Anriette Esterhuysen",
            "Stefaan G Verhulst",
            "Alexandre Barbosa",
            "Dawit Bekele",
            "Dorothy Gordon",
            "Siva Prasad Rambhatla",
            "Changfeng Chen",
            "Marielza Oliveira",
            "Fabio Senne",
        ],
        onsite=["Yves POULLET"],
        online=["Xianhong Hu"],
        rapporteurs=["Noémi Bontridder"],
        policy_question_count=3,
    ),
    "igf-2023-ws-326.txt": dict(
        title="Building meaningful access through online & hybrid training",
        event="IGF 2023",
        year=2023,
        session_type="Workshop",
        number=326,
        starts_at=None,
        room=None,
        format="Round Table",
        duration_minutes=90,
        organizer_people=[
            "Pranav Bhaskar Tiwari",
            "Sylvia Cadena",
            "Ndunge Kiundi",
            "Carlos Francisco Baca-Feldman",
        ],
        speakers=[
            "Roxana WIDMER-ILIESCU",
            "Adrian Wan",
            "Neo Magoro",
            "BERNABEL AMANDA",
            "Nils Brock",
        ],
        onsite=["Carlos Francisco Baca-Feldman"],
        online=["Pranav Bhaskar Tiwari"],
        rapporteurs=["Ndunge Kiundi"],
        policy_question_count=4,
    ),
    # No heading ("Session"); unlabelled fields in the 2024 order: organiser, organising team,
    # speakers ("Role: Name, affiliation"), onsite, online ("A/B"), rapporteurs ("A/B"), SDGs.
    "igf-2024-day0-82.txt": dict(
        event="IGF 2024",
        year=2024,
        session_type="Day 0 Event",
        number=82,
        starts_at=None,
        organizer_orgs=["Foreign, Commonwealth and Development Office, UK"],
        organizer_people=[
            "Kanbar Hossein-Bor",
            "Nicola Burgess",
            "Amelia Timewell",
            "Laura O’Brien",
            "Idan Ben Yakir",
        ],
        speakers=[
            "Kanbar Hussein Bor",
            "Felicia Anthonio",
            "Alex Walden",
            "Scott Campbell",
            "Joss Wright",
        ],
        onsite=["Kanbar Hussein-Bor"],
        online=["Nicola Burgess", "Laura O’Brian"],
        rapporteurs=["Amelia Timewell", "Idan Ben Yakir"],
        sdgs=[10, 16],
    ),
    # No heading, no year, no type on the page or in the URL: only the description.
    "igf-2024-nri-tackling-disinformation-electoral.txt": dict(
        number=None,
        starts_at=None,
        room=None,
        speakers=[],
    ),
    # No heading ("Session"); the format block comes first.
    "igf-2024-of-36.txt": dict(
        event="IGF 2024",
        year=2024,
        session_type="Open Forum",
        number=36,
        starts_at=None,
        format="Classroom",
        duration_minutes=90,
        format_description_start="The session will include governments",
    ),
    "igf-2024-ws-166.txt": dict(
        title="Breaking Barriers: Empowering Women in Internet Network",
        event="IGF 2024",
        year=2024,
        session_type="Workshop",
        number=166,
        starts_at=None,
        format="Roundtable",
        duration_minutes=90,
        organizer_people=["Ansari Omar", "Lima Madomi"],
        speakers=["Tenanoia Simona", "Joyce Chen", "Amrita Choudhury", "Yarmal Sajia"],
        onsite=["Ansari Omar"],
        online=["Lima Madomi"],
        rapporteurs=["Lima Madomi"],
        policy_question_count=3,
    ),
    "igf-2024-ws-57.txt": dict(
        title="Balancing Risks and Rights in Child Online Safety",
        event="IGF 2024",
        year=2024,
        session_type="Workshop",
        number=57,
        starts_at=None,
        format="Classroom",
        duration_minutes=90,
        format_description_start="The classroom layout and 90-minute duration",
        organizer_people=["Godsway Kubi", "Raymond Selorm Mamattah", "Abdullah Qamar"],
        speakers=["Godsway Kubi", "Raymond Selorm Mamattah", "Abdullah Qamar"],
        onsite=["Godsway Kubi"],
        online=["Godsway Kubi"],
        rapporteurs=["Abdullah Qamar"],
    ),
    # Title alone on the first line, no type or number anywhere; a 2025 date, no room.
    "igf-2025-community-connectivity-models.txt": dict(
        title="Sustainable models for community-based connectivity",
        event="IGF 2025",
        year=2025,
        number=None,
        starts_at=datetime(2025, 6, 26, 7, 0, tzinfo=UTC),
        ends_at=datetime(2025, 6, 26, 8, 0, tzinfo=UTC),
        duration_minutes=60,
        room=None,
    ),
    # The organisers line names two organisations; the next line is a run-on list of proposed
    # participants whose role the cut page does not say.
    "igf-2025-day0-201.txt": dict(
        title="Navigating a Changing Digital Landscape",
        event="IGF 2025",
        year=2025,
        session_type="Day 0 Event",
        number=201,
        starts_at=None,
        organizer_orgs=["IEEE SA", "Norwegian Ministry of Foreign Affairs"],
    ),
    # "Organizers" block: an organisation, then "Moderator and Organizer: A (main), B (sub), …".
    "igf-2025-of-31.txt": dict(
        title="Enhancing the role of the IGF through GDC follow-up and WSIS",
        event="IGF 2025",
        year=2025,
        session_type="Open Forum",
        number=31,
        starts_at=None,
        format="Theater",
        duration_minutes=60,
        format_description_start="This session plan to be held by panel discussion style.",
        organizer_orgs=["Ministry of Internal Affairs and Communications in Japan"],
        organizer_people=["Yoichi Iida", "Satoka Kawahara", "Yuka Nishimura"],
    ),
    # No heading ("Session"); the speaker, duration and format-description lines are repeated.
    "igf-2025-ws-411.txt": dict(
        event="IGF 2025",
        year=2025,
        session_type="Workshop",
        number=411,
        starts_at=None,
        format="Classroom",
        duration_minutes=90,
        format_description_start="This three-part workshop",
        organizer_people=[],
        speakers=[
            "Raya Sharbain",
            "Pavel Zoneff",
            "Monika Ermert",
            "Laura Zommer",
            "Ruslan Myatiev",
        ],
    ),
}

REJECTIONS_BATCH2: dict[str, str] = {
    "cms-2011-php-deprecated.txt": "server warnings",
    "digwatch-2024-ws-166.txt": "third-party report",
    "igf-2024-award-100-transcript-notitle.txt": "transcript",
    "sched-2017-access-inclusion-list.txt": "list of several sessions",
    "themes2018-development-list.txt": "list of themes",
}
