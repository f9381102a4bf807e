#!/usr/bin/env python3
"""Generate an independent acceptance data set for suwinet-audit (all 15 rules).

One month (April 2026) of Suwinet-Inkijk logs of the invented municipality
"Gemeente Bergvliet", written from /work/shared/DOMAIN.md, the sample lines and the
brief only (the analyzer under /work/main was not read).  Standard library only;
fixed seed, so reruns give identical bytes (independent of PYTHONHASHSEED).

Output (under OUT, default /work/unseen2/month):
  logs/bergvliet-2026-04-a-suwinet-inkijk-custom-access.log.gz   SI Classic, 1-14 April (gzip, LF)
  logs/bergvliet-2026-04-b-raadpleegpersoon_v5.log                v5, 15-30 April (CRLF)
  ref/caseload.csv ref/users.csv ref/authz.csv ref/watchlist.csv
  truth.json

Usage: gen.py [OUT] [--gzip-v5]   (--gzip-v5 writes the v5 file gzipped, CRLF kept inside)

The truth is built from the *intent* of every injected incident (never by running the
rules); check_truth.py recomputes all rules from the written files and compares.
"""
import csv
import datetime as dt
import gzip
import io
import json
import math
import os
import random
import shutil
import statistics
import sys
import unicodedata
import uuid

SEED = 20260427
ARGS = [a for a in sys.argv[1:] if not a.startswith("--")]
GZIP_V5 = "--gzip-v5" in sys.argv[1:]
OUT = ARGS[0] if ARGS else "/work/unseen2/month"

rng = random.Random(SEED)

D = dt.date
T = dt.time
DT = dt.datetime
DAY = dt.timedelta(days=1)

YEAR, MONTH = 2026, 4
MONTH_START = D(2026, 4, 1)
MONTH_END = D(2026, 4, 30)
SPLIT_DAY = D(2026, 4, 15)          # v5 file from this date on
HOLIDAYS = {D(2026, 4, 6): "Tweede Paasdag (Easter Monday)", D(2026, 4, 27): "Koningsdag"}
GOOD_FRIDAY = D(2026, 4, 3)         # not a day off
FILE_A = "bergvliet-2026-04-a-suwinet-inkijk-custom-access.log.gz"
FILE_B = "bergvliet-2026-04-b-raadpleegpersoon_v5.log" + (".gz" if GZIP_V5 else "")

MUNI_CODE = "0888"
OIN = "00000001888000000000"
PLACE = "bergvliet"
ORG_URLENC = "Gemeente+Bergvliet"
PARTNER = "Oudeweide"               # municipality chosen when working for the partnership

MONTHS_NL = ["januari", "februari", "maart", "april", "mei", "juni", "juli",
             "augustus", "september", "oktober", "november", "december"]
DAYS_NL = ["maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"]


# ---------------------------------------------------------------- time zone
def last_sunday(year, month):
    d = D(year, month, 31)
    return d - dt.timedelta(days=(d.weekday() - 6) % 7)


def local_to_utc(local):
    """naive local Europe/Amsterdam -> naive UTC; refuses non-existent times."""
    s = DT.combine(last_sunday(local.year, 3), T(1))
    e = DT.combine(last_sunday(local.year, 10), T(1))
    cs, cw = local - dt.timedelta(hours=2), local - dt.timedelta(hours=1)
    ok_s, ok_w = s <= cs < e, not (s <= cw < e)
    if ok_s and not ok_w:
        return cs
    if ok_w and not ok_s:
        return cw
    if ok_s and ok_w:
        return cs
    raise ValueError("non-existent local time %s" % local)


# ---------------------------------------------------------------- BSN
USED_BSN = set()


def bsn_valid(s):
    if len(s) != 9 or not s.isdigit():
        return False
    tot = sum((9 - i) * int(s[i]) for i in range(8)) - int(s[8])
    return tot % 11 == 0 and tot > 0


def new_bsn():
    while True:
        first = 0 if rng.random() < 0.03 else rng.randint(1, 9)
        digits = [first] + [rng.randint(0, 9) for _ in range(7)]
        d9 = sum((9 - i) * digits[i] for i in range(8)) % 11
        if d9 == 10:
            continue
        b = "".join(map(str, digits)) + str(d9)
        if b.startswith("9999") or b.startswith("00") or b in USED_BSN or not bsn_valid(b):
            continue
        USED_BSN.add(b)
        return b


def bad_check_bsn():
    while True:
        b = str(rng.randint(1, 8)) + "".join(str(rng.randint(0, 9)) for _ in range(8))
        if not bsn_valid(b) and b not in USED_BSN:
            USED_BSN.add(b)
            return b


def test_range_bsn():
    """9999xxxxx that *passes* the 11-check: only the test-range criterion makes it invalid."""
    while True:
        b = "9999" + "".join(str(rng.randint(0, 9)) for _ in range(5))
        if bsn_valid(b) and b not in ("999998523", "999993653") and b not in USED_BSN:
            USED_BSN.add(b)
            return b


# ---------------------------------------------------------------- users
TEAMS = {
    "inkomen": dict(org="gsd", fr="FR0888001", roles=["BASIS_GSD", "FR0888001", "R1"], size=70, num=1000),
    "handhaving": dict(org="gsd", fr="FR0888002", roles=["BASIS_GSD", "FR0888002", "R1", "R2"], size=35, num=2000),
    "schuldhulp": dict(org="wgs", fr="FR0888003", roles=["BASIS_GSD", "FR0888003", "R1"], size=45, num=3000),
    "burgerzaken": dict(org="bz", fr="FR0888004", roles=["BASIS_GSD", "FR0888004", "R1"], size=30, num=4000),
}
TEAM_NAMES = list(TEAMS)

FIRST = ["Mira", "Thijs", "Özlem", "Fatima", "Pieter", "Lotte", "Ruud", "Ayşe", "Bram", "Noor", "Erik",
         "Gül", "Hans", "Anouk", "Dewi", "Marco", "Sophie", "Kees", "Inge", "Ümit", "Linda", "Joost",
         "René", "Chantal", "Sanne", "Daan", "Emma", "Lucas", "Julia", "Sem", "Tess", "Milan", "Fleur",
         "Jesse", "Sara", "Ruben", "Lisa", "Thomas", "Eva", "Bas", "Iris", "Wouter", "Anna", "Niels",
         "Femke", "Youssef", "Mohamed", "Samira", "Priya", "Wei", "Joris", "Karin", "Marieke", "Gert",
         "Henk", "Ingrid", "Yvonne", "Stijn", "Maaike", "Koen", "Rik", "Esther", "Hüseyin", "Zoë",
         "Chloë", "Loïs", "Sjoerd", "Wietske", "Geert", "Bart"]
LAST = [("", "Bakker"), ("de", "Vries"), ("", "Çelik"), ("", "Kramer"), ("El", "Amrani"), ("van", "Dijk"),
        ("", "Smit"), ("", "Hendriks"), ("", "Demir"), ("", "Visser"), ("", "Meijer"), ("de", "Boer"),
        ("", "Aydın"), ("", "Mulder"), ("", "Smits"), ("", "Wijaya"), ("", "Bos"), ("van den", "Berg"),
        ("", "Dekker"), ("", "Peters"), ("de", "Wit"), ("", "Vermeulen"), ("van", "Leeuwen"),
        ("", "Brouwer"), ("", "Koster"), ("", "Jansen"), ("de", "Jong"), ("", "Janssen"), ("van der", "Meer"),
        ("", "Willems"), ("", "Dijkstra"), ("", "Postma"), ("", "Kuipers"), ("van", "Beek"), ("", "Prins"),
        ("", "Yılmaz"), ("", "Öztürk"), ("", "Sluiter"), ("ter", "Horst"), ("", "Haan"), ("de", "Graaf"),
        ("", "Verhoeven"), ("", "Bosman"), ("van", "Wijk"), ("", "Huisman"), ("", "Gerritsen"),
        ("", "Schouten"), ("van", "Vliet"), ("", "Timmermans"), ("", "Kok"), ("", "Groen"), ("", "Lammers"),
        ("", "Nguyen"), ("", "Ramdin"), ("", "Sarmo"), ("op de", "Kamp"), ("", "Zwart"), ("", "Hoekstra"),
        ("", "Boersma"), ("van 't", "Hof")]


def ascii_lower(s):
    return "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c)).lower() \
        .replace("ı", "i")


NAME_POOL = [(f, tv, ln) for f in FIRST for tv, ln in LAST]
rng.shuffle(NAME_POOL)

USERS = {}          # every account that appears in the logs (including the unknown login)
TEAM_USERS = {t: [] for t in TEAMS}
CSV_USERS = []      # logins written to users.csv, in order


def make_user(team, num, first, tv, last, start, end=None, display_c=None, display_v5=None, cn=None,
              in_csv=True, on_team=True):
    t = TEAMS[team]
    full = " ".join(x for x in (first, tv, last) if x)
    ini = ascii_lower(first[0] + last[0])
    login = "%04d_%s_%s_%s" % (num, t["org"], PLACE, ini)
    if display_c is None:
        display_c = full.lower()
        if rng.random() < 0.08:    # "achternaam, voornaam tussenvoegsel" (comma inside the quoted field)
            display_c = ("%s, %s%s" % (last, first, (" " + tv) if tv else "")).lower()
    u = dict(login=login, num=num, team=team, name=full, org=t["org"], roles=list(t["roles"]),
             cn=(cn or full.lower()), disp_c=display_c, disp_v5=(display_v5 or full),
             own_bsn=new_bsn(), start=start, end=end, in_csv=in_csv)
    assert "," not in u["disp_v5"] and '"' not in u["disp_v5"]
    USERS[login] = u
    if in_csv:
        CSV_USERS.append(login)
    if on_team:
        TEAM_USERS[team].append(login)
    return login


name_i = 0
for team, t in TEAMS.items():
    for k in range(t["size"]):
        f, tv, ln = NAME_POOL[name_i]
        name_i += 1
        start = D(2005, 1, 1) + dt.timedelta(days=rng.randint(0, 7300))     # up to early 2025
        if team == "inkomen" and k == 16:
            make_user(team, t["num"] + k + 1, "Jan", "", 'Kramer', start,
                      display_c='jan "de schout" kramer', cn='jan "de schout" kramer', display_v5="Jan Kramer")
            USERS[TEAM_USERS[team][-1]]["name"] = 'Jan "de Schout" Kramer'
            continue
        make_user(team, t["num"] + k + 1, f, tv, ln, start)

I = TEAM_USERS["inkomen"]
H = TEAM_USERS["handhaving"]
S = TEAM_USERS["schuldhulp"]
Z = TEAM_USERS["burgerzaken"]

# employment changes inside the month (part of the 180)
LEAVER_A3 = I[68]; USERS[LEAVER_A3]["end"] = D(2026, 4, 10)     # looks up again on 14 April -> inactive-account
LEAVER_NF = I[69]; USERS[LEAVER_NF]["end"] = D(2026, 4, 17)     # last lookups on 17 April -> nothing
STARTER = S[44]; USERS[STARTER]["start"] = D(2026, 4, 20)       # first lookups on 20 April -> nothing

# accounts outside the 180
NEXT = [name_i]


def extra_name():
    f, tv, ln = NAME_POOL[NEXT[0]]
    NEXT[0] += 1
    return f, tv, ln


DEPARTED = make_user("inkomen", 1071, *extra_name(), D(2014, 9, 1), D(2026, 3, 31), on_team=False)
for team, num, end in (("inkomen", 1072, D(2024, 12, 31)), ("handhaving", 2036, D(2025, 6, 30)),
                       ("schuldhulp", 3046, D(2025, 11, 30))):
    make_user(team, num, *extra_name(), D(2011, 3, 1), end, on_team=False)     # long gone, no lookups
UNKNOWN = make_user("inkomen", 1080, *extra_name(), D(2020, 1, 1), None, in_csv=False, on_team=False)
USERS[UNKNOWN]["own_bsn"] = None


def employed(login, day):
    u = USERS[login]
    return u["start"] <= day and (u["end"] is None or day <= u["end"])


# ---------------------------------------------------------------- pages / authz
TEAM_PAGES = {
    "inkomen": [("bijstandsregelingen", 30), ("gba-zoek", 25), ("uwv-polis", 15), ("uwv-uitkeringen", 10),
                ("belastingdienst-inkomen", 8), ("rdw-zoek", 5), ("duo-studiefinanciering", 4),
                ("svb-uitkeringen", 3)],
    "handhaving": [("gba-zoek", 25), ("uwv-polis", 20), ("rdw-zoek", 15), ("kadaster-zoek", 15),
                   ("bijstandsregelingen", 15), ("belastingdienst-inkomen", 10)],
    "schuldhulp": [("bijstandsregelingen", 25), ("gba-zoek", 25), ("uwv-polis", 20),
                   ("belastingdienst-inkomen", 20), ("uwv-uitkeringen", 10)],
    "burgerzaken": [("gba-zoek", 80), ("svb-uitkeringen", 20)],
}
AUTHZ = [("BASIS_GSD", "gba-zoek")]
for team, pages in TEAM_PAGES.items():
    fr = TEAMS[team]["fr"]
    for p, _ in pages:
        if p != "gba-zoek":
            AUTHZ.append((fr, p))
    AUTHZ.append((fr, "%s-%s" % (MUNI_CODE, team)))   # v5 task name, harmless if a tool treats it as a page
AUTHZ.append(("R2", "kadaster-zoek"))                  # handhaving's R2 also allows kadaster-zoek
ALLOWED = {}
for r, p in AUTHZ:
    ALLOWED.setdefault(r, set()).add(p)


def allowed(login, page):
    return any(page in ALLOWED.get(r, ()) for r in USERS[login]["roles"])


def pick_page(team):
    pages = TEAM_PAGES[team]
    return rng.choices([p for p, _ in pages], weights=[w for _, w in pages])[0]


# ---------------------------------------------------------------- caseload
CASES = []          # dict(bsn, zaak, team, medewerker, begin, end|None, pool)
_zaak = [4000]


def add_case(bsn, team, begin, end, medewerker=None, pool=False):
    _zaak[0] += rng.randint(1, 5)
    if medewerker is None:
        cands = [l for l in TEAM_USERS[team] if USERS[l]["start"] <= max(begin, D(2026, 3, 1))]
        medewerker = rng.choice(cands)
    c = dict(bsn=bsn, zaak="Z%s-%d-%06d" % (MUNI_CODE, begin.year, _zaak[0]), team=team,
             medewerker=medewerker, begin=begin, end=end, pool=pool)
    CASES.append(c)
    return c


def rand_date(a, b):
    return a + dt.timedelta(days=rng.randint(0, (b - a).days))


ORDINARY_BSNS = []
for team, t in TEAMS.items():
    for _ in range(t["size"] * 83):
        b = new_bsn()
        ORDINARY_BSNS.append(b)
        r = rng.random()
        if r < 0.06:                                    # new case starting in April
            begin, end = rand_date(D(2026, 4, 2), D(2026, 4, 28)), None
        elif r < 0.12:                                  # closing in April
            begin, end = rand_date(D(2021, 1, 1), D(2026, 2, 1)), rand_date(D(2026, 4, 3), D(2026, 4, 29))
        elif r < 0.17:                                  # closed before April (never looked up)
            begin = rand_date(D(2020, 1, 1), D(2025, 1, 1))
            end = rand_date(begin + dt.timedelta(days=60), D(2026, 3, 20))
        else:                                           # open
            begin, end = rand_date(D(2019, 6, 1), D(2026, 3, 31)), None
        add_case(b, team, begin, end, pool=True)
        r2 = rng.random()
        if r2 < 0.03:                                   # old closed case with another team
            other = rng.choice([x for x in TEAM_NAMES if x != team])
            b0 = rand_date(D(2017, 1, 1), D(2020, 12, 31))
            add_case(b, other, b0, b0 + dt.timedelta(days=rng.randint(90, 600)), pool=True)
        elif r2 < 0.05:                                 # current case with another team too (multi-service)
            other = rng.choice([x for x in TEAM_NAMES if x != team])
            add_case(b, other, rand_date(D(2022, 1, 1), D(2026, 3, 1)), None, pool=True)

# caseload BSNs with a leading zero: about half of them are exported without it (Excel)
EIGHT_DIGIT = set()
for b in ORDINARY_BSNS:
    if b.startswith("0") and rng.random() < 0.5:
        EIGHT_DIGIT.add(b)

ALL_DAYS = [MONTH_START + i * DAY for i in range((MONTH_END - MONTH_START).days + 1)]
OPEN = {}           # (team, day) -> [bsn]
OWN = {}            # (login, day) -> [bsn]
for c in CASES:
    if not c["pool"]:
        continue
    for day in ALL_DAYS:
        if c["begin"] <= day and (c["end"] is None or day <= c["end"]):
            OPEN.setdefault((c["team"], day), []).append(c["bsn"])
            OWN.setdefault((c["medewerker"], day), []).append(c["bsn"])

# distinct-user cap for ordinary BSNs: no BSN may reach 5 distinct users in any 7-day window
SEEN = {}           # bsn -> {day: set(users)}
CAP = 4


def cap_ok(bsn, login, day):
    m = SEEN.get(bsn)
    if not m:
        return True
    users = {login}
    for k in range(-6, 7):
        users |= m.get(day + k * DAY, set())
    return len(users) <= CAP


def register(bsn, login, day):
    SEEN.setdefault(bsn, {}).setdefault(day, set()).add(login)


def pick_case_bsn(login, day, own_share=0.8):
    team = USERS[login]["team"]
    own = OWN.get((login, day), [])
    lst = OPEN[(team, day)]
    for _ in range(200):
        b = rng.choice(own) if (own and rng.random() < own_share) else rng.choice(lst)
        if cap_ok(b, login, day):
            register(b, login, day)
            return b
    raise RuntimeError("no BSN for %s %s" % (login, day))


def special_case_bsn(team, begin=D(2023, 5, 1), end=None, medewerker=None):
    b = new_bsn()
    add_case(b, team, begin, end, medewerker)
    return b


# ---------------------------------------------------------------- lookups
LOOKUPS = []
FINDINGS = []
NOTFINDINGS = []
BURSTS = []


def add_lookup(t, login, bsn, kind="bsn", page=None, esc="", exact=False, tag=None, sess=None):
    local_to_utc(t)
    if page is None:
        page = {"bsn": None, "postcode": "gba-zoek", "name": "gba-zoek", "plate": "rdw-zoek", "empty": ""}[kind]
        if page is None:
            page = pick_page(USERS[login]["team"])
    rec = dict(t=t, user=login, bsn=bsn, kind=kind, page=page, esc=esc, exact=exact, tag=tag, sess=sess,
               partner=(rng.random() < 0.01 and kind == "bsn" and not exact))
    if t.date() < SPLIT_DAY:
        assert kind != "empty" and not esc
    else:
        assert kind in ("bsn", "empty")
    LOOKUPS.append(rec)
    return rec


def plant(t, login, bsn, **kw):
    kw.setdefault("tag", "planted")
    return add_lookup(t, login, bsn, exact=True, **kw)


def finding(rule, login, bsn, day, **extra):
    f = dict(rule=rule, user=login, bsn=bsn, date=day.isoformat())
    f.update(extra)
    FINDINGS.append(f)


def notfinding(rule, login, bsn, day, why, **extra):
    d = dict(rule=rule, user=login, bsn=bsn, date=day.isoformat() if day else None, why=why)
    d.update(extra)
    NOTFINDINGS.append(d)


def is_workday(d):
    return d.weekday() < 5 and d not in HOLIDAYS


WORKDAYS = [d for d in ALL_DAYS if is_workday(d)]
OFFICE_FROM = 8 * 3600
OFFICE_TO = 17 * 3600 + 30 * 60 - 2     # last start 17:29:58, end <= 17:30:00
EXCLUDE = {}                             # (login, day) -> [(from_sec, to_sec)]


def hm(day, h, m, s=0, ms=0):
    return DT(day.year, day.month, day.day, h, m, s, ms * 1000)


def office_time(day, ms=True):
    s = rng.randint(9 * 3600, 16 * 3600 + 59 * 60)
    return DT.combine(day, T(0)) + dt.timedelta(seconds=s, milliseconds=(rng.randint(0, 999) if ms else 0))


d = lambda n: D(2026, 4, n)

# ================================================================ injected incidents
# ---- off-hours (BSNs strictly inside an own-team case -> only off-hours fires)
# 1 April 00:20 local = 31 March 22:20 UTC; the BSN's case starts 1 May, so the 30-day lead covers
# the *local* date 1 April but not the UTC date 31 March.
oh1 = special_case_bsn("inkomen", begin=D(2026, 5, 1), medewerker=I[0])
plant(hm(d(1), 0, 20, 0), I[0], oh1, tag="off-hours")
finding("off-hours", I[0], oh1, d(1))
notfinding("no-case-link", I[0], oh1, d(1), "00:20 local on 1 April (UTC 31 March); case begins 2026-05-01, "
           "its 30-day lead starts on the local date 1 April (the UTC date would be outside)")


def offhours(login, times, kind="bsn", same_bsn=True):
    bsn = None
    days = []
    for t in times:
        if kind == "bsn" and (bsn is None or not same_bsn):
            bsn = pick_case_bsn(login, t.date())
        elif kind == "bsn":
            assert cap_ok(bsn, login, t.date())
            register(bsn, login, t.date())
        plant(t, login, bsn if kind == "bsn" else None, kind=kind, tag="off-hours")
        if t.date() not in days:
            days.append(t.date())
    for day in days:
        finding("off-hours", login, bsn if kind == "bsn" else None, day)
    return bsn


offhours(H[0], [hm(d(2), 5, 59, 59)])                                   # Thursday 05:59:59
offhours(S[0], [hm(d(7), 19, 0, 0)])                                    # Tuesday 19:00:00 exactly
offhours(Z[0], [hm(d(6), 10, 15, 0), hm(d(6), 10, 41, 30)])             # Easter Monday, twice -> one finding
offhours(H[1], [hm(d(11), 11, 5, 0)], kind="postcode")                  # Saturday, postcode search (no BSN)
offhours(I[1], [hm(d(19), 14, 0, 0, 250)])                              # Sunday afternoon (v5)
offhours(S[1], [hm(d(27), 11, 20, 0, 0)])                               # Koningsdag (v5)
offhours(H[2], [hm(d(21), 23, 40, 0, 0), hm(d(22), 0, 15, 0, 0)])       # two local dates -> two findings
offhours(Z[1], [hm(d(30), 23, 30, 0, 0)])                               # last evening of the month

b = pick_case_bsn(I[2], GOOD_FRIDAY)
plant(hm(GOOD_FRIDAY, 10, 0, 0), I[2], b)
notfinding("off-hours", I[2], b, GOOD_FRIDAY, "Goede Vrijdag (3 April) is a working day; ordinary traffic that day too")
b = pick_case_bsn(I[3], d(8))
plant(hm(d(8), 18, 59, 59), I[3], b)
notfinding("off-hours", I[3], b, d(8), "18:59:59 on a Wednesday is before 19:00")
b = pick_case_bsn(H[3], d(9))
plant(hm(d(9), 6, 0, 0), H[3], b)
notfinding("off-hours", H[3], b, d(9), "06:00:00 on a Thursday is not before 06:00")
b = pick_case_bsn(S[2], d(28))
plant(hm(d(28), 18, 59, 59, 999), S[2], b)
notfinding("off-hours", S[2], b, d(28), "18:59:59.999 on a Tuesday is before 19:00")
b = pick_case_bsn(Z[2], d(29))
plant(hm(d(29), 6, 0, 0, 0), Z[2], b)
notfinding("off-hours", Z[2], b, d(29), "06:00:00.000 on a Wednesday is not before 06:00")


# ---- no-case-link (cases, where any, are with the user's own team)
def ncl_bsn(login, begin=None, end=None, extra=()):
    b = new_bsn()
    team = USERS[login]["team"]
    if begin or end:
        add_case(b, team, begin or (end - dt.timedelta(days=400)), end)
    for bg, en in extra:
        add_case(b, team, bg, en)
    return b


b = ncl_bsn(I[4])
plant(hm(d(2), 10, 12, 30), I[4], b); plant(hm(d(2), 14, 3, 11), I[4], b)
finding("no-case-link", I[4], b, d(2))
b = ncl_bsn(I[5], begin=D(2026, 5, 9))
plant(hm(d(8), 11, 0, 0), I[5], b)
finding("no-case-link", I[5], b, d(8))          # case starts 31 days after the lookup
b = ncl_bsn(H[4], begin=D(2026, 5, 9))
plant(hm(d(9), 15, 0, 0), H[4], b)
notfinding("no-case-link", H[4], b, d(9), "case starts 2026-05-09, exactly 30 days after the lookup (inside the lead)")
b = ncl_bsn(S[3], end=D(2026, 1, 15))
plant(hm(d(15), 9, 30, 0, 0), S[3], b)
notfinding("no-case-link", S[3], b, d(15), "case ended 2026-01-15, exactly 90 days before the lookup (inside the tail)")
plant(hm(d(16), 9, 31, 0, 0), S[3], b)
finding("no-case-link", S[3], b, d(16))         # 91 days after the end
b = ncl_bsn(Z[3], end=D(2025, 10, 1), extra=[(D(2026, 6, 15), None)])
plant(hm(d(23), 13, 45, 0, 0), Z[3], b)
finding("no-case-link", Z[3], b, d(23))         # two cases, neither covers (lead of the second starts 16 May)

# ---- whitelist escapes (v5 field 15)
b = ncl_bsn(I[6], begin=D(2026, 4, 21))
plant(hm(d(16), 10, 5, 31, 410), I[6], b, esc="Nieuwe klant of aanvraag")
finding("whitelist-escape", I[6], b, d(16), reason="Nieuwe klant of aanvraag")
notfinding("no-case-link", I[6], b, d(16), "escape for a new client whose case starts 5 days later")
b = ncl_bsn(S[4])
plant(hm(d(22), 14, 12, 2, 502), S[4], b, esc="Anders")
finding("whitelist-escape", S[4], b, d(22), reason="Anders")
finding("no-case-link", S[4], b, d(22))
b = ncl_bsn(I[7], begin=D(2026, 5, 20))
plant(hm(d(29), 11, 11, 11, 111), I[7], b, esc="TOZO")
finding("whitelist-escape", I[7], b, d(29), reason="TOZO")
b = ncl_bsn(H[5], begin=D(2026, 5, 2))
plant(hm(d(27), 10, 5, 0, 0), H[5], b, esc="Anders")
finding("whitelist-escape", H[5], b, d(27), reason="Anders")
finding("off-hours", H[5], b, d(27))            # Koningsdag


# ---- bulk lookups
def burst(login, day, start, n, span_s):
    t0 = DT.combine(day, start)
    recs = []
    step = span_s / (n - 1)
    for i in range(n):
        off = 0 if i == 0 else (span_s if i == n - 1 else round(i * step))
        ms = 0 if i in (0, n - 1) else rng.randint(0, 999)
        t = t0 + dt.timedelta(seconds=off, milliseconds=ms)
        recs.append(plant(t, login, pick_case_bsn(login, day), tag="burst"))
    first, last = recs[0]["t"], recs[-1]["t"]
    margin = dt.timedelta(minutes=75)
    base = DT.combine(day, T(0))
    EXCLUDE.setdefault((login, day), []).append(((first - margin - base).total_seconds(),
                                                 (last + margin - base).total_seconds()))
    return first, last, recs


def burst_truth(login, first, last, count):
    BURSTS.append({"rule": "bulk-lookups", "user": login, "from": first.isoformat(), "to": last.isoformat(),
                   "count": count})
    finding("bulk-lookups", login, None, first.date(), **{"from": first.isoformat(), "to": last.isoformat(),
                                                          "count": count})


f_, l_, BURST_A = burst(I[8], d(9), T(10, 2, 13), 130, 45 * 60)       # classic, 130 in 45 min (lines swapped)
burst_truth(I[8], f_, l_, 130)
f_, l_, _ = burst(H[6], d(13), T(13, 0, 0), 160, 90 * 60)             # classic, 160 evenly over 90 min
burst_truth(H[6], f_, l_, 160)
f_, l_, _ = burst(S[5], d(22), T(13, 10, 0), 100, 50 * 60)            # v5, exactly 100 in 50 min
burst_truth(S[5], f_, l_, 100)
f_, l_, _ = burst(Z[4], d(23), T(9, 40, 0), 99, 50 * 60)              # v5, 99 -> nothing
notfinding("bulk-lookups", Z[4], None, d(23), "99 lookups within 50 minutes and none other within 75 minutes",
           **{"from": f_.isoformat(), "to": l_.isoformat(), "count": 99})

# ---- self / colleague / watchlist
own = USERS[I[9]]["own_bsn"]                                            # no case
plant(hm(d(7), 11, 22, 33), I[9], own)
finding("self-lookup", I[9], own, d(7)); finding("no-case-link", I[9], own, d(7))
own = USERS[S[6]]["own_bsn"]
add_case(own, "schuldhulp", D(2025, 11, 3), None, medewerker=S[30])    # employee is a debt-relief client
plant(hm(d(21), 15, 4, 5, 60), S[6], own)
finding("self-lookup", S[6], own, d(21))
col = USERS[Z[5]]["own_bsn"]
add_case(col, "handhaving", D(2025, 9, 1), None, medewerker=H[20])
plant(hm(d(10), 9, 48, 0), H[7], col)
finding("colleague-lookup", H[7], col, d(10))
col = USERS[I[11]]["own_bsn"]                                           # no case
plant(hm(d(24), 16, 2, 40, 900), I[10], col)
finding("colleague-lookup", I[10], col, d(24)); finding("no-case-link", I[10], col, d(24))

WATCH = [(new_bsn(), "wethouder sociaal domein"), (new_bsn(), "burgemeester"),
         (new_bsn(), "bekende Nederlander, tv-presentator"), (new_bsn(), "raadslid")]
add_case(WATCH[0][0], "schuldhulp", D(2024, 2, 1), None)
add_case(WATCH[2][0], "burgerzaken", D(2025, 12, 1), None)
plant(hm(d(13), 14, 30, 0), S[7], WATCH[0][0])
finding("watchlist", S[7], WATCH[0][0], d(13))
plant(hm(d(28), 9, 15, 0, 5), Z[6], WATCH[2][0])
finding("watchlist", Z[6], WATCH[2][0], d(28))

# ---- invalid BSNs (no case -> also no-case-link)
for login, day, bsn, t in ((H[8], d(8), bad_check_bsn(), hm(d(8), 10, 40, 0)),
                           (I[12], d(20), test_range_bsn(), hm(d(20), 11, 30, 0, 300)),
                           (S[8], d(23), bad_check_bsn(), hm(d(23), 15, 10, 0, 0))):
    plant(t, login, bsn)
    finding("invalid-bsn", login, bsn, day); finding("no-case-link", login, bsn, day)

# ---- role/page mismatch (classic)
for login, day, page, t in ((Z[7], d(2), "kadaster-zoek", hm(d(2), 14, 14, 14)),
                            (S[9], d(9), "rdw-zoek", hm(d(9), 9, 5, 0)),
                            (I[13], d(14), "kadaster-zoek", hm(d(14), 16, 45, 0))):
    assert not allowed(login, page)
    b = pick_case_bsn(login, day)
    plant(t, login, b, page=page)
    finding("role-page-mismatch", login, b, day)
b = pick_case_bsn(H[12], d(10))
plant(hm(d(10), 11, 0, 0), H[12], b, page="kadaster-zoek")
notfinding("role-page-mismatch", H[12], b, d(10), "kadaster-zoek is allowed for handhaving (FR0888002 and R2)")

# ---- inactive accounts
MULTI = []
for _ in range(3):
    b = new_bsn()
    for team in TEAM_NAMES:
        add_case(b, team, rand_date(D(2023, 1, 1), D(2025, 12, 1)), None)
    MULTI.append(b)
for t, b in ((hm(d(8), 9, 12, 0), MULTI[0]), (hm(d(8), 9, 20, 30), MULTI[1]), (hm(d(8), 13, 2, 0), MULTI[0]),
             (hm(d(9), 10, 0, 5), MULTI[2]), (hm(d(9), 10, 7, 45), MULTI[1])):
    plant(t, UNKNOWN, b)
finding("inactive-account", UNKNOWN, None, d(8), month="2026-04", kind="unknown-login")
for t in (hm(d(16), 10, 30, 0, 0), hm(d(16), 10, 41, 0, 0), hm(d(20), 14, 0, 0, 0)):
    plant(t, DEPARTED, pick_case_bsn(DEPARTED, t.date()))
finding("inactive-account", DEPARTED, None, d(16), month="2026-04", kind="employment-ended")
for t in (hm(d(14), 9, 3, 0), hm(d(14), 9, 17, 0)):
    plant(t, LEAVER_A3, pick_case_bsn(LEAVER_A3, t.date()))
finding("inactive-account", LEAVER_A3, None, d(14), month="2026-04", kind="employment-ended")
notfinding("inactive-account", LEAVER_A3, None, d(10), "lookups on the end date 2026-04-10 itself are not after the "
           "end; the finding's date is the first lookup after it (14 April)", month="2026-04")
notfinding("inactive-account", LEAVER_NF, None, None, "employment ends 2026-04-17; last lookups on 17 April",
           month="2026-04")
notfinding("inactive-account", STARTER, None, None, "employment starts 2026-04-20; first lookups on 20 April",
           month="2026-04")


# ---- non-BSN searches
def nonbsn_kinds(login):
    return ["postcode", "name", "plate"] if allowed(login, "rdw-zoek") else ["postcode", "name"]


CLASSIC_WORKDAYS = [x for x in WORKDAYS if x < SPLIT_DAY]
V5_WORKDAYS = [x for x in WORKDAYS if x >= SPLIT_DAY]


def plant_nonbsn(login, n):
    recs = []
    days = [CLASSIC_WORKDAYS[i % len(CLASSIC_WORKDAYS)] for i in range(n)]
    for day in days:
        recs.append(plant(office_time(day, ms=False), login, None, kind=rng.choice(nonbsn_kinds(login)),
                          tag="nonbsn"))
    return min(r["t"] for r in recs).date()


first_nb = plant_nonbsn(H[9], 20)
finding("non-bsn-search", H[9], None, first_nb, month="2026-04", count=20)
first_nb = plant_nonbsn(I[14], 19)
notfinding("non-bsn-search", I[14], None, first_nb, "19 non-BSN searches: more than 3x the team median but below 20",
           month="2026-04", count=19)

# ---- popular BSNs (reserved BSNs with cases in the teams of everyone who looks them up)
p1 = special_case_bsn("inkomen", begin=D(2024, 6, 1))
for login in I[15:27]:
    plant(office_time(d(8)), login, p1)
finding("popular-bsn", None, p1, d(8), users=12)
p2 = special_case_bsn("inkomen", begin=D(2025, 2, 1))
add_case(p2, "schuldhulp", D(2025, 8, 1), None)
p2_users = I[27:33] + S[10:15]
p2_days = [d(13), d(13), d(14), d(14), d(15), d(15), d(16), d(16), d(17), d(17), d(17)]
for login, day in zip(p2_users, p2_days):
    plant(office_time(day, ms=day >= SPLIT_DAY), login, p2)
finding("popular-bsn", None, p2, d(13), users=11)
p3 = special_case_bsn("schuldhulp", begin=D(2024, 1, 1))
for login, day in zip(S[15:24], [d(21)] * 3 + [d(22)] * 3 + [d(23)] * 3):
    plant(office_time(day), login, p3)
notfinding("popular-bsn", None, p3, d(21), "9 distinct users within 3 days", users=9)
p4 = special_case_bsn("inkomen", begin=D(2024, 1, 1))
for login in I[33:38]:
    plant(office_time(d(1), ms=False), login, p4)
for login in I[38:43]:
    plant(office_time(d(9), ms=False), login, p4)
notfinding("popular-bsn", None, p4, d(1), "10 distinct users, but 5 on 1 April and 5 on 9 April (8 days apart)",
           users=10)

# ---- concurrent sessions (classic)
for login, day, base in ((I[43], d(9), T(10, 31, 5)), (S[24], d(14), T(14, 2, 0))):
    t0 = DT.combine(day, base)
    for k, (mins, sess) in enumerate(((0, "B"), (2, "A"), (4.5, "B"), (6, "A"), (8, "B"), (10.5, "A"),
                                      (13, "B"))):
        plant(t0 + dt.timedelta(seconds=int(mins * 60)), login, pick_case_bsn(login, day), sess=sess)
    finding("concurrent-sessions", login, None, day)
K3 = (H[11], d(2))
EXCLUDE.setdefault(K3, []).append((12 * 3600, 13 * 3600 + 15 * 60))
notfinding("concurrent-sessions", H[11], None, d(2), "new session after lunch: hash A until 12:00, hash B from "
           "13:15, never interleaved")

# ---- other-team case (opt-in)
o1 = special_case_bsn("handhaving", begin=D(2025, 3, 1))
plant(hm(d(7), 13, 33, 0), I[44], o1)
finding("other-team-case", I[44], o1, d(7), optIn=True)
o2 = special_case_bsn("burgerzaken", begin=D(2024, 10, 1))
plant(hm(d(22), 10, 18, 0, 0), S[25], o2)
finding("other-team-case", S[25], o2, d(22), optIn=True)
o3 = special_case_bsn("inkomen", begin=D(2024, 10, 1))
add_case(o3, "burgerzaken", D(2025, 1, 6), None)
plant(hm(d(21), 11, 0, 0, 0), Z[9], o3)
notfinding("other-team-case", Z[9], o3, d(21), "BSN has cases with inkomen and burgerzaken (the user's team)")

V1 = Z[8]      # volume outlier
V2 = H[10]     # volume at ~2.2x the team median: nothing
PLANTED_USERS = {r["user"] for r in LOOKUPS}

# ================================================================ ordinary traffic
ABSENT = {}
for login in CSV_USERS:
    if login not in TEAM_USERS[USERS[login]["team"]]:
        continue
    days = [x for x in WORKDAYS if employed(login, x)]
    k = 0 if login in (V1, V2) else rng.randint(0, 2)
    ABSENT[login] = set(rng.sample(days, k))
# keep the K3 user and the leavers/starter present on the days that make their case
ABSENT[H[11]].discard(d(2))
ABSENT[LEAVER_A3].discard(d(10)); ABSENT[LEAVER_NF].discard(d(17)); ABSENT[STARTER].discard(d(20))

# occasional non-BSN searches: at most 3 per user (classic searches plus v5 lookups without search key)
NB_PLAN = {}      # (login, day) -> [classic non-bsn count, v5 empty count]
NB_TOTAL = {}
no_nb = {H[9], I[14], H[1], V1, V2}
for login in sorted(ABSENT):
    if login in no_nb:
        continue
    work = [x for x in WORKDAYS if employed(login, x) and x not in ABSENT[login]]
    cw = [x for x in work if x < SPLIT_DAY]
    vw = [x for x in work if x >= SPLIT_DAY]
    n_c = rng.choice([1, 1, 2, 3]) if (cw and rng.random() < 0.4) else 0
    n_v = 1 if (vw and n_c <= 2 and rng.random() < 0.12) else 0
    for _ in range(n_c):
        NB_PLAN.setdefault((login, rng.choice(cw)), [0, 0])[0] += 1
    for _ in range(n_v):
        NB_PLAN.setdefault((login, rng.choice(vw)), [0, 0])[1] += 1
    NB_TOTAL[login] = n_c + n_v
    assert n_c + n_v <= 3
for login, n in NB_TOTAL.items():
    if n == 3:
        notfinding("non-bsn-search", login, None, None, "3 occasional non-BSN searches", month="2026-04", count=3)
        break


def ordinary_day(login, day, n):
    ex = EXCLUDE.get((login, day), [])
    secs = set()
    while len(secs) < n:
        s = rng.randint(OFFICE_FROM, OFFICE_TO)
        if any(a <= s <= b for a, b in ex):
            continue
        secs.add(s)
    secs = sorted(secs)
    n_c, n_v = NB_PLAN.get((login, day), [0, 0])
    idx = rng.sample(range(n), n_c + n_v)
    special = {i: rng.choice(nonbsn_kinds(login)) for i in idx[:n_c]}
    special.update({i: "empty" for i in idx[n_c:]})
    for i, s in enumerate(secs):
        t = DT.combine(day, T(0)) + dt.timedelta(seconds=s, milliseconds=rng.randint(0, 999))
        k = special.get(i, "bsn")
        add_lookup(t, login, pick_case_bsn(login, day) if k == "bsn" else None, kind=k)


BASE = {login: rng.uniform(36, 62) for login in ABSENT}
for login in ABSENT:
    if login in (V1, V2):
        continue
    for day in WORKDAYS:
        if not employed(login, day) or day in ABSENT[login]:
            continue
        n = max(30, min(70, round(BASE[login] * rng.uniform(0.8, 1.2))))
        ordinary_day(login, day, n)


def monthly(login):
    return sum(1 for r in LOOKUPS if r["user"] == login)


def monthly_all():
    c = {}
    for r in LOOKUPS:
        c[r["user"]] = c.get(r["user"], 0) + 1
    return c


MEDIANS = {}
_mc = monthly_all()
for team in TEAMS:
    MEDIANS[team] = statistics.median(_mc.get(l, 0) for l in TEAM_USERS[team] if l not in (V1, V2))


def heavy_user(login, target):
    days = [x for x in WORKDAYS if employed(login, x)]
    have = monthly(login)
    per = (target - have) / len(days)
    counts = [int(per)] * len(days)
    for i in rng.sample(range(len(days)), (target - have) - sum(counts)):
        counts[i] += 1
    for day, n in zip(days, counts):
        ordinary_day(login, day, n)


heavy_user(V1, math.ceil(3.4 * MEDIANS["burgerzaken"]))
heavy_user(V2, round(2.2 * MEDIANS["handhaving"]))
first_v1 = min(r["t"] for r in LOOKUPS if r["user"] == V1).date()
finding("volume-outlier", V1, None, first_v1, month="2026-04", count=monthly(V1))
notfinding("volume-outlier", V2, None, None, "about 2.2x the team median: below 3x", month="2026-04",
           count=monthly(V2))

# K3: lookups after 13:15 on 2 April belong to a second session
for r in LOOKUPS:
    if (r["user"], r["t"].date()) == K3 and r["t"].time() >= T(13, 15):
        r["sess"] = "B"

# ================================================================ serialisation
def q(s):
    return '"' + s.replace('"', '""') + '"'


def rand_digits(n):
    return "".join(str(rng.randint(0, 9)) for _ in range(n))


SESS = {}


def session(rec):
    k = (rec["user"], rec["t"].date(), rec["sess"] or "A")
    if k not in SESS:
        SESS[k] = "%032x" % rng.getrandbits(128)
    return SESS[k]


DOSSIER = {}


def dossier(login, day):
    k = (login, day)
    if k not in DOSSIER:
        DOSSIER[k] = str(uuid.UUID(int=rng.getrandbits(128), version=4))
    return DOSSIER[k]


POSTCODE_LETTERS = "ABCDEGHJKLMNPRSTVWXZ"
SURNAMES_SEARCH = ["Jansen", "de Vries", "Bakker", "Yılmaz", "van den Berg", "El Idrissi", "Mulder", "Öztürk"]


def search_keys(rec):
    k = rec["kind"]
    if k == "postcode":
        pc = "%04d%s%s" % (rng.randint(1011, 9999), rng.choice(POSTCODE_LETTERS), rng.choice(POSTCODE_LETTERS))
        hn = str(rng.randint(1, 180))
        return "Postcode=%s&Huisnummer=%s" % (pc, hn), "_Postcode=%s&_Huisnummer=%s" % (pc, hn)
    if k == "name":
        nm = rng.choice(SURNAMES_SEARCH)
        gd = "%04d%02d%02d" % (rng.randint(1940, 2005), rng.randint(1, 12), rng.randint(1, 28))
        return "Geslachtsnaam=%s&Geboortedatum=%s" % (nm, gd), \
            "_Geslachtsnaam=%s&_Geboortedatum=%s" % (nm.replace(" ", "+").replace("ı", "%C4%B1")
                                                     .replace("Ö", "%C3%96").replace("ü", "%C3%BC"), gd)
    if k == "plate":
        pl = "%02d%s%s%s%d" % (rng.randint(1, 99), rng.choice("GHJKLNPRSTXZ"), rng.choice("BDFGHJKLNPRSTVXZ"),
                               rng.choice("BDFGHJKLNPRSTVXZ"), rng.randint(1, 9))
        return "Kenteken=%s" % pl, "_Kenteken=%s" % pl
    return "Burgerservicenr=%s" % rec["bsn"], "_Burgerservicenr=%s" % rec["bsn"]


def classic_fields(rec):
    u = USERS[rec["user"]]
    start = rec["t"].replace(microsecond=0)
    if rec["exact"]:
        end, dur = start, rng.randint(150, 900)
    else:
        dur = rng.randint(150, 1800)
        end = start + dt.timedelta(seconds=(rng.randint(0, 999) + dur) // 1000)
    day = start.date()
    keys, urlq = search_keys(rec)
    children = rand_digits(14)
    if rng.random() < 0.1:
        children += "&" + rand_digits(14)
    f = [q("SI_%02d" % rng.randint(1, 4)), q(rand_digits(14)), q("GET"), q("false"), q("true"),
         q(start.strftime("%Y-%m-%d %H:%M:%S")), q(end.strftime("%Y-%m-%d %H:%M:%S")), str(dur), q("true"),
         str((day.month - 1) // 3 + 1), str(day.year), str(day.month), q(MONTHS_NL[day.month - 1]), str(day.day),
         q(DAYS_NL[day.weekday()]), q(u["login"]), q("cn=%s,ou=%s,ou=%s,o=suwi,c=nl" % (u["cn"], PLACE, u["org"])),
         q(u["disp_c"]), q(u["org"]), q(PLACE), "", "", q(",".join(u["roles"])), q(session(rec)), q(u["org"]),
         q(rec["page"]), q("main"), q(keys), q(children),
         q("http://localhost/suwinet-inkijk/rh/%s/%s/main?%s&format=html" % (u["org"], rec["page"], urlq)),
         "", "", q(PARTNER) if rec["partner"] else "", q("gemeente scherm"), "", ""]
    assert len(f) == 36
    return end, f


def classic_line(rec):
    end, f = classic_fields(rec)
    return ("info3 %s " % end.strftime("%Y%m%d-%H:%M:%S") + ",".join(f)).encode("utf-8")


def v5_fields(rec):
    u = USERS[rec["user"]]
    t = rec["t"]
    day = t.date()
    keys = "" if rec["kind"] == "empty" else "bsn=%s" % rec["bsn"]
    return ["5", str(uuid.UUID(int=rng.getrandbits(128), version=4)), dossier(u["login"], day), day.isoformat(),
            "%s.%03d" % (t.strftime("%H:%M:%S"), t.microsecond // 1000), u["login"], u["disp_v5"],
            "&".join(u["roles"]), OIN, PARTNER if rec["partner"] else OIN, "%s-%s" % (MUNI_CODE, u["team"]),
            keys, ORG_URLENC, "", "", rec["esc"]]


def v5_line(rec):
    f = v5_fields(rec)
    assert len(f) == 16 and all("," not in x for x in f)
    return ",".join(f).encode("utf-8")


def utc_key(rec):
    return (local_to_utc(rec["t"]), rec["user"])


recs_a = sorted([r for r in LOOKUPS if r["t"].date() < SPLIT_DAY], key=utc_key)
recs_b = sorted([r for r in LOOKUPS if r["t"].date() >= SPLIT_DAY], key=utc_key)


def swap_random(recs, n, protect):
    done, count, tries = set(), 0, 0
    while count < n and tries < 100000:
        tries += 1
        i = rng.randrange(len(recs) - 1)
        if {i - 1, i, i + 1, i + 2} & done or id(recs[i]) in protect or id(recs[i + 1]) in protect:
            continue
        if recs[i]["exact"] or recs[i + 1]["exact"]:
            continue
        a, b = local_to_utc(recs[i]["t"]), local_to_utc(recs[i + 1]["t"])
        if not (dt.timedelta(seconds=2) <= b - a <= dt.timedelta(seconds=60)):
            continue
        recs[i], recs[i + 1] = recs[i + 1], recs[i]
        done.add(i)
        count += 1
    return count


def swap_with_next_of_same_user(recs, rec, direction):
    i = next(k for k, r in enumerate(recs) if r is rec)
    j = i + direction
    while recs[j]["user"] != rec["user"]:
        j += direction
    assert abs((recs[j]["t"] - rec["t"]).total_seconds()) <= 60
    recs[i], recs[j] = recs[j], recs[i]


# the 130-burst: its first line comes after its second, its last line before its second-to-last
swap_with_next_of_same_user(recs_a, BURST_A[0], +1)
swap_with_next_of_same_user(recs_a, BURST_A[-1], -1)
protect = {id(r) for r in BURST_A}
n_sw_a = swap_random(recs_a, 12, protect) + 2
n_sw_b = swap_random(recs_b, 12, set())

lines_a = [classic_line(r) for r in recs_a]
lines_b = [v5_line(r) for r in recs_b]


# ---------------------------------------------------------------- malformed lines
def junk_line():
    bad = set(b"\n\r\x0b\x0c\x1c\x1d\x1e\x85")
    out = bytearray(b"\x00")
    while len(out) < 200:
        x = rng.randrange(256)
        if x not in bad:
            out.append(x)
    out += b"\x00\xff\xfe"
    return bytes(out)


def shadow_rec(login, t):
    """a record that is only ever written inside a malformed line (never a lookup)."""
    return dict(t=t, user=login, bsn=rng.choice(OPEN[(USERS[login]["team"], t.date())]) if t.day <= 30 else
                rng.choice(OPEN[(USERS[login]["team"], d(30))]), kind="bsn",
                page=pick_page(USERS[login]["team"]), esc="", exact=True, tag="malformed", sess=None, partner=False)


def pos_at(recs, t):
    return next(k for k, r in enumerate(recs) if r["t"] >= t)


def latin1_only(s):
    try:
        s.encode("latin-1")
    except UnicodeEncodeError:
        return False
    return not s.isascii()


diacritic_user = next(l for l in I[45:] if latin1_only(USERS[l]["disp_c"]) and USERS[l]["cn"] == USERS[l]["disp_c"])
diacritic_user_b = next(l for l in S[30:] if latin1_only(USERS[l]["disp_v5"]))
comma_user = next(l for l in H[20:] if "," not in USERS[l]["disp_v5"])

REJ_A = []
rec = shadow_rec(I[50], hm(d(2), 10, 12, 29))
end, f = classic_fields(rec)
REJ_A.append((pos_at(recs_a, hm(d(2), 10, 12, 30)),
              ("info3 %s " % end.strftime("%Y%m%d-%H:%M:%S") + ",".join(f[:20]) + ",").encode(), "truncated"))
rec = shadow_rec(S[31], hm(d(3), 11, 0, 0))
end, f = classic_fields(rec)
REJ_A.append((pos_at(recs_a, hm(d(3), 11, 0, 1)),
              ("info3 %s " % end.strftime("%Y%m%d-%H:%M:%S") + ",".join(f + [""])).encode(), "wrong-field-count"))
rec = shadow_rec(H[21], hm(d(14), 15, 20, 11))
end, f = classic_fields(rec)
f[5] = q("2026-04-31 15:20:11"); f[6] = q("2026-04-31 15:20:11"); f[13] = "31"; f[14] = q("vrijdag")
REJ_A.append((pos_at(recs_a, hm(d(14), 15, 20, 12)),
              ("info3 20260431-15:20:11 " + ",".join(f)).encode(), "impossible-date"))
REJ_A.append((pos_at(recs_a, hm(d(8), 14, 0, 0)), junk_line(), "binary-junk"))
rec = shadow_rec(diacritic_user, hm(d(10), 10, 30, 0))
end, f = classic_fields(rec)
raw = ("info3 %s " % end.strftime("%Y%m%d-%H:%M:%S") + ",".join(f)).encode("utf-8")
u_ = USERS[diacritic_user]
raw = raw.replace(u_["disp_c"].encode("utf-8"), u_["disp_c"].encode("latin-1"))
REJ_A.append((pos_at(recs_a, hm(d(10), 10, 30, 1)), raw, "invalid-utf8"))
rec = shadow_rec(I[51], hm(d(7), 18, 58, 30))          # right before the 19:00:00 off-hours line of 7 April
end, f = classic_fields(rec)
f[33] = '"gemeente scherm'
REJ_A.append((pos_at(recs_a, hm(d(7), 19, 0, 0)),
              ("info3 %s " % end.strftime("%Y%m%d-%H:%M:%S") + ",".join(f)).encode(), "unterminated-quote"))

REJ_B = []
rec = shadow_rec(I[52], hm(d(20), 9, 44, 1, 5))
REJ_B.append((pos_at(recs_b, hm(d(20), 9, 44, 2)), ",".join(v5_fields(rec)[:10]).encode(), "truncated"))
rec = shadow_rec(comma_user, hm(d(23), 14, 2, 3, 400))
f = v5_fields(rec)
parts = USERS[comma_user]["disp_v5"].split(" ")
f[6] = "%s, %s" % (parts[-1], " ".join(parts[:-1]))     # "Achternaam, Voornaam": 17 fields
REJ_B.append((pos_at(recs_b, hm(d(23), 14, 2, 4)), ",".join(f).encode(), "wrong-field-count"))
rec = shadow_rec(Z[20], hm(d(30), 15, 2, 3, 400))
f = v5_fields(rec)
f[3] = "2026-04-31"
REJ_B.append((pos_at(recs_b, hm(d(30), 15, 2, 4)), ",".join(f).encode(), "impossible-date"))
REJ_B.append((pos_at(recs_b, hm(d(24), 12, 0, 0)), junk_line(), "binary-junk"))
rec = shadow_rec(diacritic_user_b, hm(d(16), 10, 5, 20, 300))   # a few seconds before the escape of 16 April
f = v5_fields(rec)
raw = ",".join(f).encode("utf-8").replace(USERS[diacritic_user_b]["disp_v5"].encode("utf-8"),
                                          USERS[diacritic_user_b]["disp_v5"].encode("latin-1"))
REJ_B.append((pos_at(recs_b, hm(d(16), 10, 5, 31)), raw, "invalid-utf8"))


def assemble(lines, rejs):
    ins = {}
    for idx, raw, kind in rejs:
        assert idx not in ins
        ins[idx] = (raw, kind)
    out, rej = [], []
    for k, ln in enumerate(lines):
        if k in ins:
            out.append(ins[k][0])
            rej.append((len(out), ins[k][1]))
        out.append(ln)
    return out, rej


phys_a, rej_a = assemble(lines_a, REJ_A)
phys_b, rej_b = assemble(lines_b, REJ_B)

# ================================================================ write files
if os.path.isdir(OUT):
    shutil.rmtree(OUT)
os.makedirs(os.path.join(OUT, "logs"))
os.makedirs(os.path.join(OUT, "ref"))

with open(os.path.join(OUT, "logs", FILE_A), "wb") as fh:
    fh.write(gzip.compress(b"".join(l + b"\n" for l in phys_a), compresslevel=9, mtime=0))
data_b = b"".join(l + b"\r\n" for l in phys_b)
with open(os.path.join(OUT, "logs", FILE_B), "wb") as fh:
    fh.write(gzip.compress(data_b, compresslevel=9, mtime=0) if GZIP_V5 else data_b)


def ddmmyyyy(x):
    return x.strftime("%d-%m-%Y") if x else ""


buf = io.StringIO()
w = csv.writer(buf, delimiter=";", lineterminator="\r\n")
w.writerow(["burgerservicenummer", "zaaknummer", "team", "medewerker", "begindatum", "einddatum"])
for c in sorted(CASES, key=lambda c: c["zaak"]):
    w.writerow([c["bsn"][1:] if c["bsn"] in EIGHT_DIGIT else c["bsn"], c["zaak"], c["team"], c["medewerker"],
                ddmmyyyy(c["begin"]), ddmmyyyy(c["end"])])
with open(os.path.join(OUT, "ref", "caseload.csv"), "wb") as fh:
    fh.write(b"\xef\xbb\xbf" + buf.getvalue().encode("utf-8"))

buf = io.StringIO()
w = csv.writer(buf, lineterminator="\n")
w.writerow(["login", "name", "team", "roles", "start_date", "end_date", "bsn"])
for l in CSV_USERS:
    u = USERS[l]
    w.writerow([l, u["name"], u["team"], "|".join(u["roles"]), u["start"].isoformat(),
                u["end"].isoformat() if u["end"] else "", u["own_bsn"]])
with open(os.path.join(OUT, "ref", "users.csv"), "w", encoding="utf-8", newline="") as fh:
    fh.write(buf.getvalue())

with open(os.path.join(OUT, "ref", "authz.csv"), "w", encoding="utf-8", newline="") as fh:
    fh.write("role,page\n" + "".join("%s,%s\n" % rp for rp in AUTHZ))

buf = io.StringIO()
w = csv.writer(buf, lineterminator="\n")
w.writerow(["bsn", "label"])
for x in WATCH:
    w.writerow(x)
with open(os.path.join(OUT, "ref", "watchlist.csv"), "w", encoding="utf-8", newline="") as fh:
    fh.write(buf.getvalue())

# ================================================================ truth
rejects = [dict(file=FILE_A, line=n, kind=k) for n, k in rej_a] + \
          [dict(file=FILE_B, line=n, kind=k) for n, k in rej_b]
RULE_ORDER = ["off-hours", "no-case-link", "bulk-lookups", "whitelist-escape", "self-lookup", "colleague-lookup",
              "watchlist", "invalid-bsn", "role-page-mismatch", "inactive-account", "non-bsn-search", "popular-bsn",
              "volume-outlier", "concurrent-sessions", "other-team-case"]
counts = {r: sum(1 for f in FINDINGS if f["rule"] == r) for r in RULE_ORDER}
truth = dict(
    lookups=len(recs_a) + len(recs_b),
    rejects=rejects,
    findings=sorted(FINDINGS, key=lambda x: (RULE_ORDER.index(x["rule"]), x["date"], x["user"] or "", x["bsn"] or "")),
    bursts=BURSTS,
    notFindings=NOTFINDINGS,
    optIn=["other-team-case"],
    info=dict(
        municipality="Gemeente Bergvliet (invented)",
        seed=SEED,
        findingsPerRule=counts,
        lookupsPerFile={FILE_A: len(recs_a), FILE_B: len(recs_b)},
        physicalLinesPerFile={FILE_A: len(phys_a), FILE_B: len(phys_b)},
        outOfOrderSwaps={FILE_A: n_sw_a, FILE_B: n_sw_b},
        teamMedianMonthlyLookupsExcludingV1V2=MEDIANS,
        holidays={k.isoformat(): v for k, v in HOLIDAYS.items()},
        notAHoliday={GOOD_FRIDAY.isoformat(): "Goede Vrijdag"},
        caseloadBsnsWithoutLeadingZero=len(EIGHT_DIGIT),
        timeFormat="date/from/to are local Europe/Amsterdam wall-clock times without offset",
        bulkLookups="listed in both findings (user, bsn null, date of 'from') and bursts",
        perMonthRules="inactive-account, non-bsn-search, volume-outlier: date = first relevant lookup "
                      "(inactive-account: first lookup after the end of employment / of the unknown login)",
        popularBsn="user null; date = first lookup of the earliest 7-day window with >= 10 distinct users",
        otherTeamCase="opt-in: fires only when the rule is enabled",
    ),
)
with open(os.path.join(OUT, "truth.json"), "w", encoding="utf-8", newline="\n") as fh:
    json.dump(truth, fh, indent=1, ensure_ascii=False)
    fh.write("\n")

print("lookups", truth["lookups"], "findings", len(FINDINGS), "rejects", len(rejects), counts)
