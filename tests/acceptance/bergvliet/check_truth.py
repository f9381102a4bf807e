#!/usr/bin/env python3
"""Independent checker for the acceptance data set written by gen.py (April 2026, Gemeente Bergvliet).

Does not import gen.py.  Reads the log files and the reference data with its own strict parsers,
recomputes all 15 rules and compares them with truth.json.  Where a rule's wording leaves room
(window conventions, which teammates make up a median, start vs. end time of a classic line, ...)
it computes every reasonable variant and requires them to agree, so the data set does not depend on
the interpretation.  Exit code 0 when everything agrees.

usage: check_truth.py [ROOT] [--truth PATH]
"""
import csv
import datetime as dt
import gzip
import io
import json
import os
import re
import statistics
import sys
from collections import defaultdict

argv = sys.argv[1:]
TRUTH_PATH = None
if "--truth" in argv:
    i = argv.index("--truth")
    TRUTH_PATH = argv[i + 1]
    del argv[i:i + 2]
ROOT = argv[0] if argv else "/work/unseen2/month"
LOGS = os.path.join(ROOT, "logs")
REF = os.path.join(ROOT, "ref")
TRUTH_PATH = TRUTH_PATH or os.path.join(ROOT, "truth.json")

MONTH = (2026, 4)
problems = []


def problem(msg):
    problems.append(msg)


# ------------------------------------------------------------------ time zone (two ways)
try:
    from zoneinfo import ZoneInfo
    AMS = ZoneInfo("Europe/Amsterdam")
except Exception:  # pragma: no cover
    AMS = None


def last_sunday(y, m):
    d = dt.date(y, m, 31)
    while d.weekday() != 6:
        d -= dt.timedelta(days=1)
    return d


def to_utc_manual(local):
    s = dt.datetime.combine(last_sunday(local.year, 3), dt.time(1))
    e = dt.datetime.combine(last_sunday(local.year, 10), dt.time(1))
    summer, winter = local - dt.timedelta(hours=2), local - dt.timedelta(hours=1)
    in_s, in_w = s <= summer < e, not (s <= winter < e)
    if in_s and not in_w:
        return summer
    if in_w and not in_s:
        return winter
    if in_s and in_w:
        return summer
    return None


def to_utc(local):
    m = to_utc_manual(local)
    if AMS is not None:
        u = local.replace(tzinfo=AMS).astimezone(dt.timezone.utc).replace(tzinfo=None)
        back = u.replace(tzinfo=dt.timezone.utc).astimezone(AMS).replace(tzinfo=None)
        if (u if back == local else None) != m:
            problem("tz disagreement for %s" % local)
    return m


# ------------------------------------------------------------------ holidays (computed, not listed)
def easter(y):
    a, b, c = y % 19, y // 100, y % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    l = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l) // 451
    month = (h + l - 7 * m + 114) // 31
    day = (h + l - 7 * m + 114) % 31 + 1
    return dt.date(y, month, day)


def holidays(y):
    e = easter(y)
    kd = dt.date(y, 4, 27)
    if kd.weekday() == 6:
        kd = dt.date(y, 4, 26)
    return {dt.date(y, 1, 1), e, e + dt.timedelta(days=1), kd, e + dt.timedelta(days=39), e + dt.timedelta(days=49),
            e + dt.timedelta(days=50), dt.date(y, 12, 25), dt.date(y, 12, 26)}


HOL = holidays(2026)
if {h for h in HOL if h.month == 4} != {dt.date(2026, 4, 5), dt.date(2026, 4, 6), dt.date(2026, 4, 27)}:
    problem("unexpected April holidays %r" % sorted(HOL))


# ------------------------------------------------------------------ BSN
def bsn_11(s):
    if not re.fullmatch(r"\d{9}", s):
        return False
    t = sum((9 - i) * int(s[i]) for i in range(8)) - int(s[8])
    return t > 0 and t % 11 == 0


def bsn_invalid(s):
    return not bsn_11(s) or s.startswith("9999")


# ------------------------------------------------------------------ reference data
raw = open(os.path.join(REF, "caseload.csv"), "rb").read()
if not raw.startswith(b"\xef\xbb\xbf"):
    problem("caseload.csv has no UTF-8 BOM")
rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline=""), delimiter=";"))
if rows[0] != ["burgerservicenummer", "zaaknummer", "team", "medewerker", "begindatum", "einddatum"]:
    problem("caseload header %r" % rows[0])


def dmy(s):
    return dt.datetime.strptime(s, "%d-%m-%Y").date() if s else None


CASES = defaultdict(list)     # bsn -> [(team, begin, end)]
eight = 0
for r in rows[1:]:
    b = r[0]
    if len(b) == 8:
        eight += 1
        b = "0" + b
    if not bsn_11(b):
        problem("invalid BSN in caseload %s" % r[0])
    CASES[b].append((r[2], dmy(r[4]), dmy(r[5])))

with open(os.path.join(REF, "users.csv"), encoding="utf-8", newline="") as fh:
    urows = list(csv.DictReader(fh))
USERS = {}
for r in urows:
    USERS[r["login"]] = dict(team=r["team"], roles=r["roles"].split("|"), bsn=r["bsn"],
                             start=dt.date.fromisoformat(r["start_date"]),
                             end=dt.date.fromisoformat(r["end_date"]) if r["end_date"] else None)
    if not bsn_11(r["bsn"]):
        problem("invalid employee BSN %s" % r["bsn"])
EMP_BSN = {u["bsn"]: l for l, u in USERS.items()}
with open(os.path.join(REF, "authz.csv"), encoding="utf-8", newline="") as fh:
    AUTHZ = defaultdict(set)
    for r in csv.DictReader(fh):
        AUTHZ[r["role"]].add(r["page"])
with open(os.path.join(REF, "watchlist.csv"), encoding="utf-8", newline="") as fh:
    WATCH = {r["bsn"]: r["label"] for r in csv.DictReader(fh)}
TEAMS = sorted({u["team"] for u in USERS.values()})


# ------------------------------------------------------------------ parsers
class Reject(Exception):
    def __init__(self, kind):
        super().__init__(kind)
        self.kind = kind


def split_quoted(s):
    out, i, n = [], 0, len(s)
    while True:
        if i < n and s[i] == '"':
            i += 1
            buf = []
            while True:
                if i >= n:
                    raise Reject("unterminated-quote")
                c = s[i]
                if c == '"':
                    if i + 1 < n and s[i + 1] == '"':
                        buf.append('"')
                        i += 2
                        continue
                    i += 1
                    break
                buf.append(c)
                i += 1
            out.append("".join(buf))
            if i == n:
                return out
            if s[i] != ",":
                raise Reject("garbage-after-quote")
            i += 1
        else:
            j = s.find(",", i)
            field = s[i:] if j < 0 else s[i:j]
            if '"' in field:
                raise Reject("stray-quote")
            out.append(field)
            if j < 0:
                return out
            i = j + 1


def decode(b):
    if b"\x00" in b:
        raise Reject("binary-junk")
    try:
        return b.decode("utf-8")
    except UnicodeDecodeError:
        raise Reject("invalid-utf8")


def parse_dt(s, fmt):
    try:
        return dt.datetime.strptime(s, fmt)
    except ValueError:
        raise Reject("impossible-date")


NONBSN_KEYS = {"Postcode", "Huisnummer", "Geslachtsnaam", "Geboortedatum", "Kenteken"}


def parse_classic(b):
    s = decode(b)
    m = re.fullmatch(r"info3 (\d{8}-\d\d:\d\d:\d\d) (.*)", s)
    if not m:
        raise Reject("bad-prefix")
    pre = parse_dt(m.group(1), "%Y%m%d-%H:%M:%S")
    f = split_quoted(m.group(2))
    if len(f) < 36:
        raise Reject("truncated")
    if len(f) > 36:
        raise Reject("wrong-field-count")
    start = parse_dt(f[5], "%Y-%m-%d %H:%M:%S")
    end = parse_dt(f[6], "%Y-%m-%d %H:%M:%S")
    if pre != end:
        problem("prefix time %s != end time %s" % (pre, end))
    if not (0 <= (end - start).total_seconds() <= 2):
        problem("odd duration %s %s" % (start, end))
    if (f[10], f[11], f[13], f[14]) != (str(start.year), str(start.month), str(start.day),
                                        ["maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag",
                                         "zondag"][start.weekday()]):
        problem("date parts mismatch %s" % f[5])
    keys = dict(kv.split("=", 1) for kv in f[27].split("&"))
    if "Burgerservicenr" in keys:
        bsn, kind = keys["Burgerservicenr"], "bsn"
        if set(keys) != {"Burgerservicenr"}:
            problem("mixed keys %s" % f[27])
    else:
        bsn, kind = None, "nonbsn"
        if not set(keys) <= NONBSN_KEYS:
            problem("unknown keys %s" % f[27])
    return dict(t=start, t_alt=end, user=f[15], bsn=bsn, kind=kind, page=f[25], roles=f[22].split(","),
                sess=f[23], esc="", classic=True)


def parse_v5(b):
    s = decode(b)
    f = s.split(",")
    if len(f) < 16:
        raise Reject("truncated")
    if len(f) > 16:
        raise Reject("wrong-field-count")
    if f[0] != "5":
        raise Reject("bad-version")
    if not re.fullmatch(r"\d\d:\d\d:\d\d\.\d{3}", f[4]):
        raise Reject("bad-time")
    t = parse_dt(f[3] + " " + f[4], "%Y-%m-%d %H:%M:%S.%f")
    if f[11]:
        if not f[11].startswith("bsn="):
            raise Reject("bad-key")
        bsn, kind = f[11][4:], "bsn"
    else:
        bsn, kind = None, "empty"
    return dict(t=t, t_alt=t, user=f[5], bsn=bsn, kind=kind, page=None, roles=f[7].split("&"), sess=None,
                esc=f[15], classic=False)


# ------------------------------------------------------------------ read logs
names = sorted(os.listdir(LOGS))
if len(names) != 2:
    problem("logs/ holds %r" % names)
LOOKUPS, REJECTS, order_stats = [], set(), {}
for name in names:
    data = open(os.path.join(LOGS, name), "rb").read()
    if name.endswith(".gz"):
        data = gzip.decompress(data)
    is_v5 = "raadpleegpersoon_v5" in name
    if not data.endswith(b"\n"):
        problem("%s: no final newline" % name)
    lines = data.split(b"\n")[:-1]
    prev, back, maxback = None, 0, dt.timedelta(0)
    for no, ln in enumerate(lines, 1):
        if is_v5:
            if not ln.endswith(b"\r"):
                problem("%s:%d not CRLF" % (name, no))
            ln = ln[:-1]
        elif b"\r" in ln:
            problem("%s:%d has CR" % (name, no))
        try:
            rec = parse_v5(ln) if is_v5 else parse_classic(ln)
        except Reject as e:
            REJECTS.add((name, no, e.kind))
            continue
        u = to_utc(rec["t"])
        if u is None:
            REJECTS.add((name, no, "non-existent-local-time"))
            continue
        rec.update(utc=u, file=name, line=no, date=rec["t"].date())
        LOOKUPS.append(rec)
        if prev is not None and u < prev:
            back += 1
            maxback = max(maxback, prev - u)
        prev = u if prev is None else max(prev, u)
    order_stats[name] = (len(lines), back, maxback.total_seconds())

H60, M10 = dt.timedelta(minutes=60), dt.timedelta(minutes=10)
FIND = {}          # rule -> set of tuples (rule, user, bsn, date, extra...)
EXTRA = {}         # (rule,user,bsn,date) -> dict of extra fields to compare


def agree(rule, variants):
    first = variants[0]
    for v in variants[1:]:
        if v != first:
            problem("%s depends on interpretation: %r vs %r" % (rule, sorted(first - v, key=str)[:5],
                                                                sorted(v - first, key=str)[:5]))
    return first


def iso(d):
    return d.isoformat()


# ------------------------------------------------------------------ 1 off-hours (start vs end time of classic lines)
def offhours(use_alt):
    out = set()
    for r in LOOKUPS:
        t = r["t_alt"] if use_alt else r["t"]
        if t.weekday() >= 5 or t.date() in HOL or t.time() < dt.time(6) or t.time() >= dt.time(19):
            out.add(("off-hours", r["user"], r["bsn"], iso(t.date())))
    return out


FIND["off-hours"] = agree("off-hours", [offhours(False), offhours(True)])


# ------------------------------------------------------------------ 2 no-case-link
def covered(bsn, day, lead=30, tail=90, teams=None):
    for team, b, e in CASES.get(bsn, []):
        if teams is not None and team not in teams:
            continue
        if b - dt.timedelta(days=lead) <= day and (e is None or day <= e + dt.timedelta(days=tail)):
            return True
    return False


FIND["no-case-link"] = {("no-case-link", r["user"], r["bsn"], iso(r["date"])) for r in LOOKUPS
                        if r["bsn"] is not None and not covered(r["bsn"], r["date"])}

# ------------------------------------------------------------------ 3 bulk lookups (4 window conventions)
by_user = defaultdict(list)
for r in LOOKUPS:
    by_user[r["user"]].append(r)
for u in by_user:
    by_user[u].sort(key=lambda r: r["utc"])


def bursts(inclusive, trailing):
    out = []
    for user, rs in by_user.items():
        ts = [r["utc"] for r in rs]
        n, ivs = len(ts), []
        if not trailing:
            j = 0
            for i in range(n):
                j = max(j, i)
                while j + 1 < n and ((ts[j + 1] - ts[i] <= H60) if inclusive else (ts[j + 1] - ts[i] < H60)):
                    j += 1
                if j - i + 1 >= 100:
                    ivs.append([i, j])
        else:
            i = 0
            for j in range(n):
                while (ts[j] - ts[i] > H60) if inclusive else (ts[j] - ts[i] >= H60):
                    i += 1
                if j - i + 1 >= 100:
                    ivs.append([i, j])
        merged = []
        for a, b in sorted(ivs):
            if merged and a <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], b)
            else:
                merged.append([a, b])
        for a, b in merged:
            out.append((user, rs[a]["t"], rs[b]["t"], b - a + 1))
    return sorted(out)


variants = [bursts(inc, tr) for inc in (False, True) for tr in (False, True)]
if any(v != variants[0] for v in variants):
    problem("burst result depends on window convention")
BURSTS = variants[0]
FIND["bulk-lookups"] = {("bulk-lookups", u, None, iso(f.date())) for u, f, l, c in BURSTS}
for u, f, l, c in BURSTS:
    EXTRA[("bulk-lookups", u, None, iso(f.date()))] = {"from": f.isoformat(), "to": l.isoformat(), "count": c}

# ------------------------------------------------------------------ 4 whitelist escape
FIND["whitelist-escape"] = set()
for r in LOOKUPS:
    if r["esc"]:
        k = ("whitelist-escape", r["user"], r["bsn"], iso(r["date"]))
        FIND["whitelist-escape"].add(k)
        if k in EXTRA and EXTRA[k]["reason"] != r["esc"]:
            problem("two escape reasons for %r" % (k,))
        EXTRA[k] = {"reason": r["esc"]}

# ------------------------------------------------------------------ 5-8 BSN based
FIND["self-lookup"] = {("self-lookup", r["user"], r["bsn"], iso(r["date"])) for r in LOOKUPS
                       if r["bsn"] and r["user"] in USERS and USERS[r["user"]]["bsn"] == r["bsn"]}
FIND["colleague-lookup"] = {("colleague-lookup", r["user"], r["bsn"], iso(r["date"])) for r in LOOKUPS
                            if r["bsn"] in EMP_BSN and EMP_BSN[r["bsn"]] != r["user"]}
FIND["watchlist"] = {("watchlist", r["user"], r["bsn"], iso(r["date"])) for r in LOOKUPS if r["bsn"] in WATCH}
FIND["invalid-bsn"] = {("invalid-bsn", r["user"], r["bsn"], iso(r["date"])) for r in LOOKUPS
                       if r["bsn"] is not None and bsn_invalid(r["bsn"])}


# ------------------------------------------------------------------ 9 role/page (line roles vs users.csv roles)
def rolepage(from_register):
    out = set()
    for r in LOOKUPS:
        if not r["classic"]:
            continue
        roles = USERS[r["user"]]["roles"] if (from_register and r["user"] in USERS) else r["roles"]
        if not any(r["page"] in AUTHZ[ro] for ro in roles):
            out.add(("role-page-mismatch", r["user"], r["bsn"], iso(r["date"])))
    return out


FIND["role-page-mismatch"] = agree("role-page-mismatch", [rolepage(False), rolepage(True)])

# ------------------------------------------------------------------ 10 inactive account (per account, kind, month)
FIND["inactive-account"] = set()
first_bad = {}
for r in sorted(LOOKUPS, key=lambda r: r["utc"]):
    u = USERS.get(r["user"])
    if u is None:
        kind = "unknown-login"
    elif u["end"] is not None and r["date"] > u["end"]:
        kind = "employment-ended"
    elif r["date"] < u["start"]:
        kind = "not-yet-employed"
    else:
        continue
    key = (r["user"], kind, (r["date"].year, r["date"].month))
    first_bad.setdefault(key, r["date"])
for (user, kind, ym), day in first_bad.items():
    k = ("inactive-account", user, None, iso(day))
    FIND["inactive-account"].add(k)
    EXTRA[k] = {"month": "%04d-%02d" % ym, "kind": kind}

# ------------------------------------------------------------------ team populations for medians
month_lookups = defaultdict(list)
for r in LOOKUPS:
    if (r["date"].year, r["date"].month) == MONTH:
        month_lookups[r["user"]].append(r)
m_first = dt.date(*MONTH, 1)
m_last = dt.date(MONTH[0], MONTH[1] + 1, 1) - dt.timedelta(days=1)


def populations(team, metric):
    """several readings of 'the team' for a median."""
    employed = [l for l, u in USERS.items() if u["team"] == team and u["start"] <= m_last
                and (u["end"] is None or u["end"] >= m_first)]
    active = [l for l, u in USERS.items() if u["team"] == team and month_lookups.get(l)]
    positive = [l for l in active if metric(l) > 0]
    return [employed, active, positive]


def outliers(rule, metric, minimum, firstday, pops=(0, 1, 2)):
    results = []
    for pop_i in pops:
        for incl_self in (True, False):
            out = set()
            for login, u in USERS.items():
                v = metric(login)
                if v < minimum:
                    continue
                pop = populations(u["team"], metric)[pop_i]
                vals = [metric(l) for l in pop if incl_self or l != login]
                med = statistics.median(vals) if vals else 0
                if v > 3 * med:
                    out.add((rule, login, None, iso(firstday(login))))
            results.append(out)
    return agree(rule, results)


# ------------------------------------------------------------------ 11 non-BSN searches (v5 empty keys counted or not)
def nb_count(with_empty):
    def f(login):
        return sum(1 for r in month_lookups.get(login, ()) if r["kind"] == "nonbsn" or (with_empty and r["kind"] == "empty"))
    return f


def nb_first(login):
    return min(r["date"] for r in month_lookups[login] if r["kind"] != "bsn")


nb_variants = [outliers("non-bsn-search", nb_count(w), 20, nb_first) for w in (False, True)]
FIND["non-bsn-search"] = agree("non-bsn-search", nb_variants)
for k in FIND["non-bsn-search"]:
    EXTRA[k] = {"month": "%04d-%02d" % MONTH, "count": nb_count(False)(k[1])}


# ------------------------------------------------------------------ 12 popular BSN (calendar week vs rolling 168 h)
by_bsn = defaultdict(list)
for r in LOOKUPS:
    if r["bsn"] is not None:
        by_bsn[r["bsn"]].append(r)


def popular(rolling):
    out, maxes = set(), {}
    for bsn, rs in by_bsn.items():
        rs = sorted(rs, key=lambda r: r["utc"])
        best, first = 0, None
        for a in rs:
            if rolling:
                us = {r["user"] for r in rs if a["utc"] <= r["utc"] < a["utc"] + dt.timedelta(days=7)}
            else:
                us = {r["user"] for r in rs if a["date"] <= r["date"] <= a["date"] + dt.timedelta(days=6)}
            best = max(best, len(us))
            if len(us) >= 10 and first is None:
                first = a["date"]
        maxes[bsn] = best
        if first is not None:
            out.add(("popular-bsn", None, bsn, iso(first)))
    return out, maxes


(pop_a, MAXUSERS), (pop_b, _) = popular(False), popular(True)
FIND["popular-bsn"] = agree("popular-bsn", [pop_a, pop_b])
for k in FIND["popular-bsn"]:
    EXTRA[k] = {"users": MAXUSERS[k[2]]}

# ------------------------------------------------------------------ 13 volume outlier
vol = lambda l: len(month_lookups.get(l, ()))
FIND["volume-outlier"] = outliers("volume-outlier", vol, 500, lambda l: min(r["date"] for r in month_lookups[l]),
                                  pops=(0, 1))
for k in FIND["volume-outlier"]:
    EXTRA[k] = {"month": "%04d-%02d" % MONTH, "count": vol(k[1])}

# ------------------------------------------------------------------ 14 concurrent sessions (pairs vs overlapping spans)
sess = defaultdict(lambda: defaultdict(list))
for r in LOOKUPS:
    if r["classic"]:
        sess[(r["user"], r["date"])][r["sess"]].append(r["utc"])


def concurrent(mode):
    out = set()
    for (user, day), m in sess.items():
        if len(m) < 2:
            continue
        hit = False
        keys = sorted(m)
        for i in range(len(keys)):
            for j in range(i + 1, len(keys)):
                a, b = sorted(m[keys[i]]), sorted(m[keys[j]])
                if mode == "pairs":
                    hit |= any(abs(x - y) <= M10 for x in a for y in b)
                else:
                    hit |= a[0] <= b[-1] and b[0] <= a[-1]
        if hit:
            out.add(("concurrent-sessions", user, None, iso(day)))
    return out


FIND["concurrent-sessions"] = agree("concurrent-sessions", [concurrent("pairs"), concurrent("overlap")])


# ------------------------------------------------------------------ 15 other-team case (which cases count)
def other_team(mode):
    out = set()
    for r in LOOKUPS:
        u = USERS.get(r["user"])
        if u is None or r["bsn"] is None:
            continue
        cs = CASES.get(r["bsn"], [])
        if mode == "covering":
            cs = [c for c in cs if c[1] - dt.timedelta(days=30) <= r["date"] and
                  (c[2] is None or r["date"] <= c[2] + dt.timedelta(days=90))]
        elif mode == "strict":
            cs = [c for c in cs if c[1] <= r["date"] and (c[2] is None or r["date"] <= c[2])]
        if cs and all(c[0] != u["team"] for c in cs):
            out.add(("other-team-case", r["user"], r["bsn"], iso(r["date"])))
    return out


FIND["other-team-case"] = agree("other-team-case", [other_team(m) for m in ("all", "covering", "strict")])

# ================================================================== compare with truth
truth = json.load(open(TRUTH_PATH, encoding="utf-8"))
RULES = ["off-hours", "no-case-link", "bulk-lookups", "whitelist-escape", "self-lookup", "colleague-lookup",
         "watchlist", "invalid-bsn", "role-page-mismatch", "inactive-account", "non-bsn-search", "popular-bsn",
         "volume-outlier", "concurrent-sessions", "other-team-case"]
if set(FIND) != set(RULES):
    problem("rule list")
ALL = set().union(*FIND.values())

if truth["lookups"] != len(LOOKUPS):
    problem("lookups: truth %d, recomputed %d" % (truth["lookups"], len(LOOKUPS)))
t_rej = {(r["file"], r["line"], r["kind"]) for r in truth["rejects"]}
if t_rej != REJECTS:
    problem("rejects differ: truth-only %r, checker-only %r" % (sorted(t_rej - REJECTS), sorted(REJECTS - t_rej)))

t_find = [(f["rule"], f["user"], f["bsn"], f["date"]) for f in truth["findings"]]
if len(t_find) != len(set(t_find)):
    problem("duplicate findings in truth")
if set(t_find) != ALL:
    problem("findings differ:\n  truth-only %r\n  checker-only %r" % (sorted(set(t_find) - ALL, key=str),
                                                                     sorted(ALL - set(t_find), key=str)))
for f in truth["findings"]:
    k = (f["rule"], f["user"], f["bsn"], f["date"])
    for field, val in EXTRA.get(k, {}).items():
        if f.get(field) != val:
            problem("finding %r: %s truth %r, recomputed %r" % (k, field, f.get(field), val))
    if f["rule"] == "other-team-case" and not f.get("optIn"):
        problem("other-team-case finding not marked optIn")
if truth.get("optIn") != ["other-team-case"]:
    problem("optIn list %r" % truth.get("optIn"))

t_b = sorted((b["user"], dt.datetime.fromisoformat(b["from"]), dt.datetime.fromisoformat(b["to"]), b["count"])
             for b in truth["bursts"])
if t_b != BURSTS:
    problem("bursts differ: truth %r checker %r" % (t_b, BURSTS))

PER_MONTH = {"inactive-account", "non-bsn-search", "volume-outlier"}
for nf in truth["notFindings"]:
    rule = nf["rule"]
    if rule in PER_MONTH:
        hit = [k for k in FIND[rule] if k[1] == nf["user"] and (nf["date"] is None or k[3] == nf["date"])]
    elif rule == "popular-bsn":
        hit = [k for k in FIND[rule] if k[2] == nf["bsn"]]
        if MAXUSERS.get(nf["bsn"]) is None:
            problem("notFinding BSN never looked up: %r" % nf)
    elif rule == "bulk-lookups":
        hit = [b for b in BURSTS if b[0] == nf["user"] and b[1].date().isoformat() == nf["date"]]
        ts = [r["utc"] for r in by_user[nf["user"]] if r["date"].isoformat() == nf["date"]]
        best = max(sum(1 for x in ts if a <= x <= a + H60) for a in ts)
        if best != nf["count"]:
            problem("notFinding burst count %d != %r" % (best, nf))
    elif rule == "concurrent-sessions":
        hit = [k for k in FIND[rule] if k[1] == nf["user"] and k[3] == nf["date"]]
        if len(sess[(nf["user"], dt.date.fromisoformat(nf["date"]))]) != 2:
            problem("concurrent notFinding lacks two sessions: %r" % nf)
    else:
        hit = [k for k in FIND[rule] if k[1:] == (nf["user"], nf["bsn"], nf["date"])]
        if not any(r["user"] == nf["user"] and r["bsn"] == nf["bsn"] and iso(r["date"]) == nf["date"]
                   for r in LOOKUPS):
            problem("notFinding has no lookup: %r" % nf)
    if hit:
        problem("notFinding actually fires: %r" % nf)
    if "count" in nf and rule in ("non-bsn-search", "volume-outlier"):
        c = (nb_count(False) if rule == "non-bsn-search" else vol)(nf["user"])
        if c != nf["count"]:
            problem("notFinding count %d != %r" % (c, nf))

# ================================================================== sanity: the background is clean and realistic
for r in LOOKUPS:
    if r["t"].year != 2026 or r["t"].month != 4:
        problem("lookup outside April 2026: %s" % r["t"])
    if ("suwinet-inkijk" in r["file"]) != (r["t"].day <= 14) or r["classic"] != (r["t"].day <= 14):
        problem("lookup in wrong file: %s %s" % (r["file"], r["t"]))
    u = USERS.get(r["user"])
    if u and r["roles"] != u["roles"]:
        problem("roles in log differ from users.csv for %s" % r["user"])
    if r["esc"] and covered(r["bsn"], r["date"], 0, 0):
        problem("escape although the BSN is on the whitelist: %r" % r["line"])

# per-user per-working-day volume of the background (users without planted bursts/outlier)
per_day = defaultdict(int)
for r in LOOKUPS:
    if r["t"].weekday() < 5 and r["date"] not in HOL and dt.time(8) <= r["t"].time() <= dt.time(17, 30):
        per_day[(r["user"], r["date"])] += 1
flag_users = {k[1] for k in ALL if k[0] in ("bulk-lookups", "volume-outlier")} | \
             {nf["user"] for nf in truth["notFindings"] if nf["rule"] in ("bulk-lookups", "volume-outlier")}
bg = sorted(v for (u, _), v in per_day.items() if u not in flag_users)
nonpop = sorted((v for b, v in MAXUSERS.items() if not any(k[2] == b for k in FIND["popular-bsn"])
                 and not any(nf["rule"] == "popular-bsn" and nf["bsn"] == b for nf in truth["notFindings"])),
                reverse=True)
ratio = {}
for team in TEAMS:
    members = [l for l, u in USERS.items() if u["team"] == team and month_lookups.get(l)]
    med = statistics.median(vol(l) for l in members)
    ratio[team] = (med, sorted(((vol(l) / med, l) for l in members), reverse=True)[:2])
nbc = sorted(((nb_count(True)(l), l) for l in USERS), reverse=True)[:4]

# ================================================================== report
rc = defaultdict(int)
for k in ALL:
    rc[k[0]] += 1
print("lookups %d, rejects %d, bursts %d, caseload BSNs written with 8 digits: %d" % (len(LOOKUPS), len(REJECTS),
                                                                                       len(BURSTS), eight))
print("findings per rule:", ", ".join("%s %d" % (r, rc[r]) for r in RULES))
for name, (n, back, mx) in order_stats.items():
    print("%s: %d physical lines, %d backward steps, max back %.0f s" % (name, n, back, mx))
all_days = defaultdict(int)
for r in LOOKUPS:
    all_days[(r["user"], r["date"])] += 1
inrange = sum(1 for v in all_days.values() if 30 <= v <= 70)
print("user-days with 30-70 lookups: %d of %d (below: %d, planted lookups on a day off/holiday/after leaving; "
      "above: %d, burst/volume users)" % (inrange, len(all_days), sum(1 for v in all_days.values() if v < 30),
                                          sum(1 for v in all_days.values() if v > 70)))
print("office-hours lookups per user per working day, users without burst/volume incidents: max %d" % bg[-1])
print("max distinct users per BSN in 7 days (background): %s" % nonpop[:3])
for team, (med, top) in ratio.items():
    print("team %-11s median monthly lookups %6.1f, top ratios %s" % (team, med,
          ", ".join("%.2f (%s)" % x for x in top)))
print("most non-BSN searches (incl. v5 empty keys):", nbc)
for r in sorted(REJECTS):
    print("reject %s:%d:%s" % r)
if problems:
    print("\nPROBLEMS (%d):" % len(problems))
    for p in problems[:60]:
        print(" -", p)
    sys.exit(1)
print("OK: truth.json agrees with the recomputation of all 15 rules")
