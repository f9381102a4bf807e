#!/usr/bin/env python3
"""Generate an independent acceptance data set for suwinet-audit.

One month (March 2026) of Suwinet-Inkijk logs of the invented municipality
"Gemeente Lindenhoeve", written from /work/shared/DOMAIN.md and the sample lines
only.  Standard library only; fixed seed, so reruns give identical bytes.

Output (under OUT, default /work/unseen/month):
  logs/inkijk-2026-03-a-suwinet-inkijk-custom-access.log.gz   SI Classic, 1-18 March
  logs/inkijk-2026-03-b-raadpleegpersoon_v5.log                v5 (CRLF), 19-31 March
  ref/caseload.csv ref/users.csv ref/authz.csv ref/watchlist.csv
  truth.json

The truth is built from the *intent* of each injected incident (not by
re-running the rules); check_truth.py recomputes it from the files.
"""
import csv
import datetime as dt
import gzip
import io
import json
import os
import random
import shutil
import sys
import uuid

SEED = 20260329
OUT = sys.argv[1] if len(sys.argv) > 1 else "/work/unseen/month"

rng = random.Random(SEED)

D = dt.date
T = dt.time
DT = dt.datetime

MONTH_START = D(2026, 3, 1)
MONTH_END = D(2026, 3, 31)
SPLIT_DAY = D(2026, 3, 19)          # v5 file from this date on
FILE_A = "inkijk-2026-03-a-suwinet-inkijk-custom-access.log.gz"
FILE_B = "inkijk-2026-03-b-raadpleegpersoon_v5.log"

MUNI_CODE = "0777"
OIN = "00000001777000000000"
PLACE = "lindenhoeve"
ORG_URLENC = "Gemeente+Lindenhoeve"

MONTHS_NL = ["januari", "februari", "maart", "april", "mei", "juni", "juli",
             "augustus", "september", "oktober", "november", "december"]
DAYS_NL = ["maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"]


# ---------------------------------------------------------------- time zone
def dst_start_utc(year):
    # last Sunday of March, 01:00 UTC
    d = D(year, 3, 31)
    d -= dt.timedelta(days=(d.weekday() - 6) % 7)
    return DT(year, d.month, d.day, 1, 0)


def dst_end_utc(year):
    d = D(year, 10, 31)
    d -= dt.timedelta(days=(d.weekday() - 6) % 7)
    return DT(year, d.month, d.day, 1, 0)


def local_to_utc(local):
    """naive local Europe/Amsterdam -> naive UTC; refuses non-existent times."""
    cand_winter = local - dt.timedelta(hours=1)
    cand_summer = local - dt.timedelta(hours=2)
    s, e = dst_start_utc(local.year), dst_end_utc(local.year)
    ok_summer = s <= cand_summer < e
    ok_winter = not (s <= cand_winter < e)
    if ok_summer and not ok_winter:
        return cand_summer
    if ok_winter and not ok_summer:
        return cand_winter
    if ok_winter and ok_summer:   # ambiguous (October) - not used in March
        return cand_summer
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
        digits = [rng.randint(0, 9) for _ in range(8)]
        if rng.random() < 0.93 and digits[0] == 0:
            continue  # a few (~7% of would-be) keep a leading zero
        s = sum((9 - i) * digits[i] for i in range(8))
        d9 = s % 11
        if d9 == 10:
            continue
        b = "".join(map(str, digits)) + str(d9)
        if b.startswith("9999") or b in USED_BSN or not bsn_valid(b):
            continue
        USED_BSN.add(b)
        return b


# ---------------------------------------------------------------- users
TEAMS = {
    "inkomen": dict(org="gsd", fr="FR0777001", roles=["BASIS_GSD", "FR0777001", "R1"]),
    "handhaving": dict(org="gsd", fr="FR0777002", roles=["BASIS_GSD", "FR0777002", "R1", "R2"]),
    "schuldhulp": dict(org="wgs", fr="FR0777003", roles=["BASIS_GSD", "FR0777003", "R1"]),
    "burgerzaken": dict(org="bz", fr="FR0777004", roles=["BASIS_GSD", "FR0777004", "R1"]),
}

# (number, team, full name, initials, classic cn, classic display, v5 display)
USER_DEFS = [
    ("0101", "inkomen", "Mira Bakker", "mb", None, None, None),
    ("0102", "inkomen", "Thijs de Vries", "tv", None, "vries, thijs de", None),
    ("0103", "inkomen", "Özlem Çelik", "oc", None, "çelik, özlem", None),
    ("0104", "inkomen", 'Jan "de Schout" Kramer', "jk", None, None, "Jan Kramer"),
    ("0105", "inkomen", "Fatima El Amrani", "fe", None, None, None),
    ("0106", "inkomen", "Pieter van Dijk", "pd", None, None, None),
    ("0107", "inkomen", "Lotte Smit", "ls", None, None, None),
    ("0108", "inkomen", "Ruud Hendriks", "rh", None, None, None),
    ("0109", "inkomen", "Ayşe Demir", "ad", None, None, None),
    ("0201", "handhaving", "Bram Visser", "bv", None, None, None),
    ("0202", "handhaving", "Noor Meijer", "nm", None, "meijer, noor", None),
    ("0203", "handhaving", "Erik de Boer", "eb", None, None, None),
    ("0204", "handhaving", "Gül Aydın", "ga", None, None, None),
    ("0205", "handhaving", "Hans Mulder", "hm", None, None, None),
    ("0301", "schuldhulp", "Anouk Smits", "as", None, None, None),
    ("0302", "schuldhulp", "Dewi Wijaya", "dw", None, None, None),
    ("0303", "schuldhulp", "Marco Bos", "mo", None, None, None),
    ("0304", "schuldhulp", "Sophie van den Berg", "sb", None, None, None),
    ("0305", "schuldhulp", "Kees Dekker", "kd", None, None, None),
    ("0306", "schuldhulp", "Inge Peters", "ip", None, None, None),
    ("0401", "burgerzaken", "Ümit de Wit", "uw", None, None, None),
    ("0402", "burgerzaken", "Linda Vermeulen", "lv", None, None, None),
    ("0403", "burgerzaken", "Joost van Leeuwen", "jl", None, None, None),
    ("0404", "burgerzaken", "René Brouwer", "rb", None, None, None),
    ("0405", "burgerzaken", "Chantal Koster", "ck", None, None, None),
]

USERS = {}
for num, team, name, ini, cn, disp_c, disp_v5 in USER_DEFS:
    t = TEAMS[team]
    login = "%s_%s_%s_%s" % (num, t["org"], PLACE, ini)
    low = name.lower()
    USERS[login] = dict(
        login=login, num=num, team=team, name=name, org=t["org"], roles=t["roles"],
        cn=(cn or low),
        disp_c=(disp_c or low),
        disp_v5=(disp_v5 or name),
        own_bsn=new_bsn(),
        start=D(2010, 1, 1) + dt.timedelta(days=rng.randint(0, 5000)),
    )
LOGINS = list(USERS)
BY_NUM = {u["num"]: l for l, u in USERS.items()}


def U(num):
    return BY_NUM[num]


FORMER = dict(login="0110_gsd_lindenhoeve_wk", name="Wim Kuipers", team="inkomen",
              roles=TEAMS["inkomen"]["roles"], start=D(2012, 4, 1), end=D(2026, 1, 31),
              own_bsn=new_bsn())

# ---------------------------------------------------------------- pages / authz
TEAM_PAGES = {
    "inkomen": [("bijstandsregelingen", 30), ("gba-zoek", 25), ("uwv-polis", 15),
                ("uwv-uitkeringen", 10), ("belastingdienst-inkomen", 8), ("rdw-zoek", 5),
                ("duo-studiefinanciering", 4), ("svb-uitkeringen", 3)],
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
    AUTHZ.append((fr, "%s-%s" % (MUNI_CODE, team)))   # v5 task name, in case it is treated as page


def pick_page(team):
    pages = TEAM_PAGES[team]
    return rng.choices([p for p, _ in pages], weights=[w for _, w in pages])[0]


# ---------------------------------------------------------------- caseload
CASES = []   # dict(bsn, zaak, team, medewerker, begin, end|None)
_zaak = [1000]


def add_case(bsn, team, begin, end, medewerker=None):
    _zaak[0] += rng.randint(1, 7)
    if medewerker is None:
        medewerker = rng.choice([l for l in LOGINS if USERS[l]["team"] == team])
    c = dict(bsn=bsn, zaak="Z-%d-%06d" % (begin.year, _zaak[0]), team=team,
             medewerker=medewerker, begin=begin, end=end)
    CASES.append(c)
    return c


CASE_COUNTS = {"inkomen": 420, "handhaving": 110, "schuldhulp": 200, "burgerzaken": 70}
for team, n in CASE_COUNTS.items():
    for _ in range(n):
        b = new_bsn()
        r = rng.random()
        if r < 0.08:      # new case starting in March
            begin = D(2026, 3, rng.randint(2, 27))
            end = None
        else:
            begin = D(2021, 1, 1) + dt.timedelta(days=rng.randint(0, 1880))  # up to ~Feb 2026
            end = None
            if r > 0.80:  # closed case (some before March, some during)
                end = begin + dt.timedelta(days=rng.randint(40, 900))
                if end > D(2026, 3, 31):
                    end = D(2026, 3, rng.randint(5, 30))
                if end < begin:
                    end = None
        add_case(b, team, begin, end)

# some BSNs with two cases (old closed one + current one, possibly other team)
for c in rng.sample(CASES, 40):
    if c["end"] is None and c["begin"] < D(2026, 1, 1):
        other = rng.choice(list(TEAMS))
        b0 = D(2019, 1, 1) + dt.timedelta(days=rng.randint(0, 400))
        add_case(c["bsn"], other, b0, b0 + dt.timedelta(days=rng.randint(100, 500)))


def open_cases(team, day):
    return [c for c in CASES if c["team"] == team and c["begin"] <= day
            and (c["end"] is None or c["end"] >= day)]


# cache of open cases per (team, day)
_OPEN = {}


def pick_case_bsn(login, day):
    team = USERS[login]["team"]
    key = (team, day)
    if key not in _OPEN:
        _OPEN[key] = open_cases(team, day)
    lst = _OPEN[key]
    own = [c for c in lst if c["medewerker"] == login]
    if own and rng.random() < 0.6:
        return rng.choice(own)["bsn"]
    return rng.choice(lst)["bsn"]


def stable_bsn(team):
    """a BSN whose (only) cases are open for the whole month, of the given team."""
    while True:
        c = rng.choice([c for c in CASES if c["team"] == team])
        allc = [x for x in CASES if x["bsn"] == c["bsn"]]
        if c["begin"] < D(2026, 2, 1) and c["end"] is None and len(allc) == 1:
            return c["bsn"]


# ---------------------------------------------------------------- lookups
LOOKUPS = []     # each: dict(t=local datetime (start, incl. microsecond for ms), user, bsn, kind, page, esc, exact, tag)
FINDINGS = []
NOTFINDINGS = []
BURSTS = []
NON_BSN = []


def add_lookup(t, login, bsn, kind="bsn", page=None, esc="", exact=False, tag=None):
    local_to_utc(t)   # raises on non-existent local time
    rec = dict(t=t, user=login, bsn=bsn, kind=kind,
               page=page or ("gba-zoek" if kind == "postcode" else pick_page(USERS[login]["team"])),
               esc=esc, exact=exact, tag=tag)
    LOOKUPS.append(rec)
    return rec


def finding(rule, login, bsn, day):
    FINDINGS.append(dict(rule=rule, user=login, bsn=bsn, date=day.isoformat()))


def notfinding(rule, login, bsn, day, why, **extra):
    d = dict(rule=rule, user=login, bsn=bsn, date=day.isoformat(), why=why)
    d.update(extra)
    NOTFINDINGS.append(d)


def working_days():
    d = MONTH_START
    while d <= MONTH_END:
        if d.weekday() < 5:
            yield d
        d += dt.timedelta(days=1)


OFFICE_FROM = 8 * 3600
OFFICE_TO = 17 * 3600 + 30 * 60 - 2     # last start 17:29:58, end <= 17:30:00

# exclusion zones for burst users: (login, day) -> list of (from_sec, to_sec)
EXCLUDE = {}


def sec_time(day, secs, ms=None):
    if ms is None:
        ms = rng.randint(0, 999)
    return DT.combine(day, T(0)) + dt.timedelta(seconds=secs, milliseconds=ms)


def hm(day, h, m, s=0, ms=0):
    return DT(day.year, day.month, day.day, h, m, s, ms * 1000)


# ---- injected incidents --------------------------------------------------
d = lambda n: D(2026, 3, n)

# off-hours (BSN in caseload, open the whole month -> only off-hours fires)
def offhours(num, times, why=None, kind="bsn"):
    login = U(num)
    bsn = stable_bsn(USERS[login]["team"]) if kind == "bsn" else None
    days = set()
    for t in times:
        add_lookup(t, login, bsn, kind=kind, exact=True, tag="off-hours")
        days.add(t.date())
    for day in sorted(days):
        finding("off-hours", login, bsn, day)
    return bsn

# classic (1-18 March)
offhours("0101", [hm(d(2), 19, 0, 0)])                                  # 19:00:00 exactly, Monday
offhours("0203", [hm(d(3), 5, 45, 10)])                                 # before 06:00
offhours("0202", [hm(d(7), 11, 15, 20), hm(d(7), 11, 42, 5)])           # Saturday, twice -> one finding
offhours("0104", [hm(d(8), 20, 15, 0)], kind="postcode")                # Sunday evening postcode search (no BSN)
offhours("0303", [hm(d(10), 0, 30, 0)])                                 # 00:30 local (UTC date is the 9th)
offhours("0102", [hm(d(12), 23, 50, 0), hm(d(13), 0, 10, 0)])           # two local dates -> two findings
offhours("0305", [hm(d(11), 22, 30, 15)])
# v5 (19-31 March)
offhours("0204", [hm(d(21), 14, 0, 0, 250)])                            # Saturday afternoon
offhours("0101", [hm(d(29), 3, 30, 0, 0)])                              # DST night, 03:30 CEST
offhours("0203", [hm(d(29), 1, 55, 0, 120), hm(d(29), 3, 5, 0, 480)])   # 01:55 CET and 03:05 CEST, one finding
offhours("0303", [hm(d(30), 19, 0, 0, 0)])                              # 19:00:00.000 CEST (17:00 UTC)
offhours("0106", [hm(d(31), 0, 20, 0, 0)])                              # 00:20 CEST (UTC date is the 30th)
offhours("0402", [hm(d(25), 5, 59, 59, 999)])                           # 05:59:59.999

# not off-hours
b = stable_bsn("inkomen")
add_lookup(hm(d(4), 18, 59, 59), U("0105"), b, exact=True, tag="nf")
notfinding("off-hours", U("0105"), b, d(4), "18:59:59 on a weekday (Wednesday) is before 19:00")
b = stable_bsn("handhaving")
add_lookup(hm(d(12), 6, 0, 0), U("0201"), b, exact=True, tag="nf")
notfinding("off-hours", U("0201"), b, d(12), "06:00:00 on a weekday is not before 06:00")
b = stable_bsn("schuldhulp")
add_lookup(hm(d(31), 18, 59, 59, 999), U("0301"), b, exact=True, tag="nf")
notfinding("off-hours", U("0301"), b, d(31), "18:59:59.999 CEST on a weekday (Tuesday) is before 19:00")

# no-case-link
def nocase(num, times, case_begin=None, case_end=None, esc="", also=(), team=None):
    login = U(num)
    bsn = new_bsn()
    if case_begin or case_end:
        beg = case_begin or (case_end - dt.timedelta(days=400))
        add_case(bsn, team or USERS[login]["team"], beg, case_end)
    for t in times:
        add_lookup(t, login, bsn, esc=esc, exact=True, tag="ncl")
    return login, bsn

lg, bs = nocase("0106", [hm(d(3), 10, 12, 30), hm(d(3), 14, 3, 11)])      # no case at all, twice -> one finding
finding("no-case-link", lg, bs, d(3))
lg, bs = nocase("0107", [hm(d(5), 14, 20, 0)], case_begin=d(5) + dt.timedelta(days=29))
notfinding("no-case-link", lg, bs, d(5), "case starts 29 days after the lookup (2026-04-03), within the 30-day lead")
lg, bs = nocase("0108", [hm(d(9), 11, 0, 0)], case_begin=d(9) + dt.timedelta(days=31))
finding("no-case-link", lg, bs, d(9))    # case starts 2026-04-09, 31 days after
lg, bs = nocase("0302", [hm(d(11), 15, 0, 0)], case_end=d(11) - dt.timedelta(days=89))
notfinding("no-case-link", lg, bs, d(11), "case ended 89 days before the lookup (2025-12-12), within the 90-day tail")
lg, bs = nocase("0304", [hm(d(13), 9, 30, 0)], case_end=d(13) - dt.timedelta(days=91))
finding("no-case-link", lg, bs, d(13))   # case ended 2025-12-12, 91 days before
lg, bs = nocase("0401", [hm(d(16), 13, 45, 0)])
finding("no-case-link", lg, bs, d(16))
lg, bs = nocase("0204", [hm(d(14), 21, 10, 0)])                             # Saturday evening, no case -> both rules
finding("no-case-link", lg, bs, d(14))
finding("off-hours", lg, bs, d(14))
# v5: one BSN without case, looked up by two users the same day -> two findings
bx = new_bsn()
for num, t in (("0107", hm(d(24), 10, 30, 0, 0)), ("0108", hm(d(24), 11, 5, 0, 0))):
    add_lookup(t, U(num), bx, exact=True, tag="ncl")
    finding("no-case-link", U(num), bx, d(24))

# whitelist escapes (v5 only)
lg, bs = nocase("0105", [hm(d(19), 10, 5, 31, 410)], esc="Anders")
finding("whitelist-escape", lg, bs, d(19)); finding("no-case-link", lg, bs, d(19))
lg, bs = nocase("0302", [hm(d(20), 13, 40, 2, 0)], esc="Nieuwe klant of aanvraag",
                case_begin=d(20) + dt.timedelta(days=10))
finding("whitelist-escape", lg, bs, d(20))
notfinding("no-case-link", lg, bs, d(20), "escape of a BSN whose case starts 10 days later (2026-03-30): only whitelist-escape fires")
lg, bs = nocase("0202", [hm(d(24), 11, 11, 11, 111)], esc="Bijzonder onderzoek")
finding("whitelist-escape", lg, bs, d(24)); finding("no-case-link", lg, bs, d(24))
lg, bs = nocase("0306", [hm(d(26), 15, 30, 0, 0), hm(d(26), 15, 34, 10, 0)], esc="Anders")
finding("whitelist-escape", lg, bs, d(26)); finding("no-case-link", lg, bs, d(26))
lg, bs = nocase("0304", [hm(d(28), 10, 0, 0, 0)], esc="Nieuwe klant of aanvraag",
                case_begin=d(28) + dt.timedelta(days=5))                        # Saturday
finding("whitelist-escape", lg, bs, d(28)); finding("off-hours", lg, bs, d(28))
notfinding("no-case-link", lg, bs, d(28), "escape on Saturday of a BSN whose case starts 5 days later: whitelist-escape + off-hours only")

# bursts
def burst(num, day, start, n, span_s, first_last_ms_zero=True):
    login = U(num)
    t0 = DT.combine(day, start)
    recs = []
    if n > 1:
        step = span_s / (n - 1)
    for i in range(n):
        off = round(i * step) if i not in (0, n - 1) else (0 if i == 0 else span_s)
        ms = 0 if (i in (0, n - 1)) else rng.randint(0, 999)
        t = t0 + dt.timedelta(seconds=off, milliseconds=ms)
        recs.append(add_lookup(t, login, pick_case_bsn(login, day), exact=True, tag="burst-%s" % num))
    first, last = recs[0]["t"], recs[-1]["t"]
    margin = dt.timedelta(minutes=75)
    s0 = (first - margin - DT.combine(day, T(0))).total_seconds()
    s1 = (last + margin - DT.combine(day, T(0))).total_seconds()
    EXCLUDE.setdefault((login, day), []).append((s0, s1))
    return login, first, last, recs

# classic: 130 lookups in 45 minutes (first/last lines swapped in the file)
lg, f, l, BURST_A = burst("0109", d(10), T(10, 2, 13), 130, 45 * 60)
BURSTS.append(dict(rule="bulk-lookups", user=lg, **{"from": f.isoformat(), "to": l.isoformat()}, count=130))
# classic: 160 lookups spread evenly over 90 minutes -> every 60-minute window holds >= 100,
# the union of the windows covers the whole run
lg, f, l, _ = burst("0201", d(16), T(13, 0, 0), 160, 90 * 60)
BURSTS.append(dict(rule="bulk-lookups", user=lg, **{"from": f.isoformat(), "to": l.isoformat()}, count=160))
# v5: exactly 100 lookups in 50 minutes
lg, f, l, _ = burst("0205", d(25), T(13, 10, 0), 100, 50 * 60)
BURSTS.append(dict(rule="bulk-lookups", user=lg, **{"from": f.isoformat(), "to": l.isoformat()}, count=100))
# v5: 99 lookups in 50 minutes -> not a burst
lg, f, l, _ = burst("0305", d(26), T(9, 40, 0), 99, 50 * 60)
notfinding("bulk-lookups", lg, None, d(26), "99 lookups within 50 minutes, none other within 75 minutes: below 100",
           **{"from": f.isoformat(), "to": l.isoformat(), "count": 99})

# ---- normal traffic --------------------------------------------------------
INCIDENT_DAYS = {(r["user"], r["t"].date()) for r in LOOKUPS}
for login in LOGINS:
    days = list(working_days())
    offdays = set(rng.sample(days, rng.randint(0, 2))) - {d0 for (l0, d0) in INCIDENT_DAYS if l0 == login}
    for day in days:
        if day in offdays:
            continue
        n = rng.randint(15, 40)
        ex = EXCLUDE.get((login, day), [])
        secs = []
        while len(secs) < n:
            s = rng.randint(OFFICE_FROM, OFFICE_TO)
            if any(a <= s <= b for a, b in ex):
                continue
            secs.append(s)
        for s in sorted(secs):
            t = sec_time(day, s)
            if day < SPLIT_DAY and rng.random() < 0.005:
                add_lookup(t, login, None, kind="postcode", tag="postcode")
            elif day >= SPLIT_DAY and rng.random() < 0.003:
                add_lookup(t, login, None, kind="empty", tag="emptykey")
            else:
                add_lookup(t, login, pick_case_bsn(login, day))

# ---------------------------------------------------------------- serialisation
def q(s):
    return '"' + s.replace('"', '""') + '"'


def rand_digits(n):
    return "".join(str(rng.randint(0, 9)) for _ in range(n))


SESS = {}


def session(login, day):
    k = (login, day)
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


def classic_fields(rec, override_day=None):
    """list of already-serialised field strings (36)."""
    u = USERS[rec["user"]]
    start = rec["t"].replace(microsecond=0)
    if rec["exact"]:
        end = start
        dur = rng.randint(150, 900)
    else:
        dur = rng.randint(150, 1800)
        frac = rng.randint(0, 999)
        end = start + dt.timedelta(seconds=(frac + dur) // 1000)
    day = rec["t"].date()
    if rec["kind"] == "postcode":
        pc = "%04d%s%s" % (rng.randint(1011, 9999), rng.choice(POSTCODE_LETTERS), rng.choice(POSTCODE_LETTERS))
        hn = str(rng.randint(1, 180))
        keys = "Postcode=%s&Huisnummer=%s" % (pc, hn)
        urlq = "_Postcode=%s&_Huisnummer=%s" % (pc, hn)
    else:
        keys = "Burgerservicenr=%s" % rec["bsn"]
        urlq = "_Burgerservicenr=%s" % rec["bsn"]
    children = rand_digits(14)
    if rng.random() < 0.1:
        children += "&" + rand_digits(14)
    sday = start.strftime("%Y-%m-%d %H:%M:%S")
    eday = end.strftime("%Y-%m-%d %H:%M:%S")
    f = [q("SI_%02d" % rng.randint(1, 4)), q(rand_digits(14)), q("GET"), q("false"), q("true"),
         q(sday), q(eday), str(dur), q("true"), str((day.month - 1) // 3 + 1), str(day.year),
         str(day.month), q(MONTHS_NL[day.month - 1]), str(day.day), q(DAYS_NL[day.weekday()]),
         q(u["login"]), q("cn=%s,ou=%s,ou=%s,o=suwi,c=nl" % (u["cn"], PLACE, u["org"])),
         q(u["disp_c"]), q(u["org"]), q(PLACE), "", "", q(",".join(u["roles"])),
         q(session(u["login"], day)), q(u["org"]), q(rec["page"]), q("main"), q(keys), q(children),
         q("http://localhost/suwinet-inkijk/rh/%s/%s/main?%s&format=html" % (u["org"], rec["page"], urlq)),
         "", "", "", q("gemeente scherm"), "", ""]
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
    return ["5", str(uuid.UUID(int=rng.getrandbits(128), version=4)), dossier(u["login"], day),
            day.isoformat(), "%s.%03d" % (t.strftime("%H:%M:%S"), t.microsecond // 1000),
            u["login"], u["disp_v5"], "&".join(u["roles"]), OIN, OIN,
            "%s-%s" % (MUNI_CODE, u["team"]), keys, ORG_URLENC, "", "", rec["esc"]]


def v5_line(rec):
    f = v5_fields(rec)
    assert len(f) == 16 and all("," not in x for x in f)
    return ",".join(f).encode("utf-8")


def utc_key(rec):
    return (local_to_utc(rec["t"]), rec["user"])


recs_a = sorted([r for r in LOOKUPS if r["t"].date() < SPLIT_DAY], key=utc_key)
recs_b = sorted([r for r in LOOKUPS if r["t"].date() >= SPLIT_DAY], key=utc_key)
for r in recs_a:
    assert r["esc"] == "", "escapes only in v5"
    assert r["kind"] != "empty"
for r in recs_b:
    assert r["kind"] != "postcode"


def swap_random(recs, n, protect):
    done = set()
    count = 0
    tries = 0
    while count < n and tries < 10000:
        tries += 1
        i = rng.randrange(len(recs) - 1)
        if i in done or i + 1 in done or i - 1 in done or i + 2 in done:
            continue
        if id(recs[i]) in protect or id(recs[i + 1]) in protect:
            continue
        a, b = local_to_utc(recs[i]["t"]), local_to_utc(recs[i + 1]["t"])
        if not (dt.timedelta(seconds=1) <= b - a <= dt.timedelta(seconds=60)):
            continue
        recs[i], recs[i + 1] = recs[i + 1], recs[i]
        done.add(i)
        count += 1
    return count


# deliberate swaps around the 130-burst: its first and last lookups appear after/before their successor/predecessor
def swap_with_next_of_same_user(recs, rec, direction):
    i = next(k for k, r in enumerate(recs) if r is rec)
    j = i + direction
    while recs[j]["user"] != rec["user"]:
        j += direction
    assert abs((recs[j]["t"] - rec["t"]).total_seconds()) <= 60
    recs[i], recs[j] = recs[j], recs[i]


protect = set()
swap_with_next_of_same_user(recs_a, BURST_A[0], +1)
swap_with_next_of_same_user(recs_a, BURST_A[-1], -1)
protect.update(id(r) for r in (BURST_A[0], BURST_A[1], BURST_A[-1], BURST_A[-2]))
# one more swap in the middle of the burst with another user's neighbouring line
mid = BURST_A[65]
i = next(k for k, r in enumerate(recs_a) if r is mid)
recs_a[i], recs_a[i + 1] = recs_a[i + 1], recs_a[i]
protect.update((id(recs_a[i]), id(recs_a[i + 1])))
n_sw_a = swap_random(recs_a, 10, protect) + 3
n_sw_b = swap_random(recs_b, 10, set())

lines_a = [classic_line(r) for r in recs_a]
lines_b = [v5_line(r) for r in recs_b]


# ---------------------------------------------------------------- malformed lines
def junk_line():
    bad = set(b"\n\r\x0b\x0c\x1c\x1d\x1e\x85")
    out = bytearray(b"\x00")
    while len(out) < 180:
        x = rng.randrange(256)
        if x not in bad:
            out.append(x)
    out += b"\x00\xff\xfe"
    return bytes(out)


def normal_rec(login, t):
    return dict(t=t, user=login, bsn=pick_case_bsn(login, t.date()), kind="bsn",
                page=pick_page(USERS[login]["team"]), esc="", exact=True, tag="malformed")


def index_of_tag_time(recs, t, user):
    return next(k for k, r in enumerate(recs) if r["t"] == t and r["user"] == user)


REJ_A = []   # (insert_before_index, bytes, kind)
# truncated classic line: record cut after field 19 (quotes balanced, 21 fields)
rec = normal_rec(U("0107"), hm(d(3), 10, 12, 29))
end, f = classic_fields(rec)
trunc = "info3 %s " % end.strftime("%Y%m%d-%H:%M:%S") + ",".join(f[:20]) + ","
REJ_A.append((index_of_tag_time(recs_a, hm(d(3), 10, 12, 30), U("0106")), trunc.encode(), "truncated"))
# impossible date 2026-02-30
rec = normal_rec(U("0301"), hm(d(2), 9, 10, 11))
end, f = classic_fields(rec)
f[5] = q("2026-02-30 09:10:11"); f[6] = q("2026-02-30 09:10:11")
f[11] = "2"; f[12] = q("februari"); f[13] = "30"; f[14] = q("maandag")
REJ_A.append((next(k for k, r in enumerate(recs_a) if r["t"] >= hm(d(2), 9, 10, 12)),
              ("info3 20260230-09:10:11 " + ",".join(f)).encode(), "impossible-date"))
# binary junk
REJ_A.append((next(k for k, r in enumerate(recs_a) if r["t"] >= hm(d(9), 14, 0, 0)), junk_line(), "binary-junk"))
# unterminated quote, directly before the 19:00:00 off-hours line of 2 March
rec = normal_rec(U("0107"), hm(d(2), 18, 58, 30))
end, f = classic_fields(rec)
f[33] = '"gemeente scherm'
REJ_A.append((index_of_tag_time(recs_a, hm(d(2), 19, 0, 0), U("0101")),
              ("info3 %s " % end.strftime("%Y%m%d-%H:%M:%S") + ",".join(f)).encode(), "unterminated-quote"))

REJ_B = []
# v5 with 15 fields (escape-reason field missing)
rec = normal_rec(U("0403"), hm(d(23), 9, 44, 1, 5))
REJ_B.append((next(k for k, r in enumerate(recs_b) if r["t"] >= hm(d(23), 9, 44, 2)),
              ",".join(v5_fields(rec)[:15]).encode(), "wrong-field-count"))
# invalid UTF-8: display name written in Latin-1, directly before a whitelist escape
rec = normal_rec(U("0103"), hm(d(19), 10, 5, 20, 300))
f = v5_fields(rec)
raw = ",".join(f).encode("utf-8").replace("Özlem Çelik".encode("utf-8"), "Özlem Çelik".encode("latin-1"))
REJ_B.append((index_of_tag_time(recs_b, hm(d(19), 10, 5, 31, 410), U("0105")), raw, "invalid-utf8"))
# impossible date 2026-03-32
rec = normal_rec(U("0404"), hm(d(31), 15, 2, 3, 400))
f = v5_fields(rec)
f[3] = "2026-03-32"
REJ_B.append((len(recs_b) - 3, ",".join(f).encode(), "impossible-date"))
# binary junk
REJ_B.append((next(k for k, r in enumerate(recs_b) if r["t"] >= hm(d(27), 12, 0, 0)), junk_line(), "binary-junk"))


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

# ---------------------------------------------------------------- write files
if os.path.isdir(OUT):
    shutil.rmtree(OUT)
os.makedirs(os.path.join(OUT, "logs"))
os.makedirs(os.path.join(OUT, "ref"))

data_a = b"".join(l + b"\n" for l in phys_a)
with open(os.path.join(OUT, "logs", FILE_A), "wb") as fh:
    fh.write(gzip.compress(data_a, compresslevel=9, mtime=0))
with open(os.path.join(OUT, "logs", FILE_B), "wb") as fh:
    fh.write(b"".join(l + b"\r\n" for l in phys_b))


def ddmmyyyy(x):
    return x.strftime("%d-%m-%Y") if x else ""


buf = io.StringIO()
w = csv.writer(buf, delimiter=";", lineterminator="\r\n")
w.writerow(["burgerservicenummer", "zaaknummer", "team", "medewerker", "begindatum", "einddatum"])
for c in sorted(CASES, key=lambda c: c["zaak"]):
    w.writerow([c["bsn"], c["zaak"], c["team"], c["medewerker"], ddmmyyyy(c["begin"]), ddmmyyyy(c["end"])])
with open(os.path.join(OUT, "ref", "caseload.csv"), "wb") as fh:
    fh.write(b"\xef\xbb\xbf" + buf.getvalue().encode("utf-8"))

buf = io.StringIO()
w = csv.writer(buf, lineterminator="\n")
w.writerow(["login", "name", "team", "roles", "start_date", "end_date", "bsn"])
for l in LOGINS:
    u = USERS[l]
    w.writerow([l, u["name"], u["team"], "|".join(u["roles"]), u["start"].isoformat(), "", u["own_bsn"]])
w.writerow([FORMER["login"], FORMER["name"], FORMER["team"], "|".join(FORMER["roles"]),
            FORMER["start"].isoformat(), FORMER["end"].isoformat(), FORMER["own_bsn"]])
with open(os.path.join(OUT, "ref", "users.csv"), "w", encoding="utf-8", newline="") as fh:
    fh.write(buf.getvalue())

with open(os.path.join(OUT, "ref", "authz.csv"), "w", encoding="utf-8", newline="") as fh:
    fh.write("role,page\n" + "".join("%s,%s\n" % rp for rp in AUTHZ))

WATCH = [(new_bsn(), "wethouder sociaal domein"), (new_bsn(), "burgemeester"),
         (new_bsn(), "bekende Nederlander (tv-presentator)"), (new_bsn(), "raadslid")]
with open(os.path.join(OUT, "ref", "watchlist.csv"), "w", encoding="utf-8", newline="") as fh:
    fh.write("bsn,label\n" + "".join("%s,%s\n" % x for x in WATCH))

# ---------------------------------------------------------------- truth
rejects = [dict(file=FILE_A, line=n, kind=k) for n, k in rej_a] + \
          [dict(file=FILE_B, line=n, kind=k) for n, k in rej_b]
truth = dict(
    lookups=len(recs_a) + len(recs_b),
    rejects=rejects,
    findings=sorted(FINDINGS, key=lambda x: (x["rule"], x["date"], x["user"], x["bsn"] or "")),
    bursts=BURSTS,
    notFindings=NOTFINDINGS,
    info=dict(
        seed=SEED,
        lookupsPerFile={FILE_A: len(recs_a), FILE_B: len(recs_b)},
        physicalLinesPerFile={FILE_A: len(phys_a), FILE_B: len(phys_b)},
        nonBsnLookups={FILE_A: sum(1 for r in recs_a if r["kind"] != "bsn"),
                       FILE_B: sum(1 for r in recs_b if r["kind"] != "bsn")},
        outOfOrderSwaps={FILE_A: n_sw_a, FILE_B: n_sw_b},
        timeFormat="from/to are local Europe/Amsterdam wall-clock times without offset",
    ),
)
with open(os.path.join(OUT, "truth.json"), "w", encoding="utf-8", newline="\n") as fh:
    json.dump(truth, fh, indent=2, ensure_ascii=False)
    fh.write("\n")

print("lookups", truth["lookups"], "findings", len(FINDINGS), "rejects", len(rejects))
