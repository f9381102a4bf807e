#!/usr/bin/env python3
"""Independent checker for the acceptance data set written by gen.py.

Does not import gen.py.  Reads the log files and the reference data, parses every
physical line with its own strict parsers, recomputes the rules

  off-hours      local time < 06:00 or >= 19:00, or Saturday/Sunday
  no-case-link   no case of the BSN with begin-30d <= local date <= end+90d (open end = forever)
  whitelist-escape  v5 field 15 non-empty
  bulk-lookups   union of 60-minute windows holding >= 100 lookups of one user

and compares them with truth.json.  Exit code 0 when everything agrees.
"""
import csv
import datetime as dt
import gzip
import io
import json
import os
import re
import sys
from collections import defaultdict

ROOT = sys.argv[1] if len(sys.argv) > 1 else "/work/unseen/month"
LOGS = os.path.join(ROOT, "logs")
REF = os.path.join(ROOT, "ref")

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
    """EU rule: summer time from last Sunday of March 01:00 UTC to last Sunday of October 01:00 UTC."""
    s = dt.datetime.combine(last_sunday(local.year, 3), dt.time(1))
    e = dt.datetime.combine(last_sunday(local.year, 10), dt.time(1))
    summer = local - dt.timedelta(hours=2)
    winter = local - dt.timedelta(hours=1)
    in_s = s <= summer < e
    in_w = not (s <= winter < e)
    if in_s and not in_w:
        return summer
    if in_w and not in_s:
        return winter
    if in_s and in_w:
        return summer
    return None  # non-existent


def to_utc(local):
    m = to_utc_manual(local)
    if AMS is not None:
        aware = local.replace(tzinfo=AMS)
        u = aware.astimezone(dt.timezone.utc).replace(tzinfo=None)
        back = (u.replace(tzinfo=dt.timezone.utc).astimezone(AMS)).replace(tzinfo=None)
        z = u if back == local else None
        if z != m:
            problem("tz disagreement for %s: zoneinfo %s manual %s" % (local, z, m))
    return m


# ------------------------------------------------------------------ BSN
def bsn_ok(s):
    if not re.fullmatch(r"\d{9}", s):
        return False
    t = sum((9 - i) * int(s[i]) for i in range(8)) - int(s[8])
    return t > 0 and t % 11 == 0


# ------------------------------------------------------------------ reference data
raw = open(os.path.join(REF, "caseload.csv"), "rb").read()
if not raw.startswith(b"\xef\xbb\xbf"):
    problem("caseload.csv has no UTF-8 BOM")
rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline=""), delimiter=";"))
if rows[0] != ["burgerservicenummer", "zaaknummer", "team", "medewerker", "begindatum", "einddatum"]:
    problem("caseload header %r" % rows[0])


def dmy(s):
    return dt.datetime.strptime(s, "%d-%m-%Y").date() if s else None


CASES = defaultdict(list)
for r in rows[1:]:
    if not bsn_ok(r[0]):
        problem("invalid BSN in caseload %s" % r[0])
    CASES[r[0]].append((dmy(r[4]), dmy(r[5])))

with open(os.path.join(REF, "users.csv"), encoding="utf-8", newline="") as fh:
    urows = list(csv.DictReader(fh))
USERS = {r["login"]: r for r in urows}
for r in urows:
    if not bsn_ok(r["bsn"]):
        problem("invalid employee BSN %s" % r["bsn"])
with open(os.path.join(REF, "authz.csv"), encoding="utf-8", newline="") as fh:
    AUTHZ = defaultdict(set)
    for r in csv.DictReader(fh):
        AUTHZ[r["role"]].add(r["page"])
with open(os.path.join(REF, "watchlist.csv"), encoding="utf-8", newline="") as fh:
    WATCH = {r["bsn"] for r in csv.DictReader(fh)}
for b in WATCH:
    if not bsn_ok(b):
        problem("invalid watchlist BSN %s" % b)
EMP_BSN = {r["bsn"] for r in urows}


# ------------------------------------------------------------------ parsers
class Reject(Exception):
    def __init__(self, kind, detail=""):
        super().__init__(kind, detail)
        self.kind = kind


def split_quoted(s):
    """strict parser for the classic record: bare fields have no quotes; quoted fields use "" escapes."""
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


def parse_dt(date_s, time_s, fmt_date, fmt_time):
    try:
        return dt.datetime.strptime(date_s + " " + time_s, fmt_date + " " + fmt_time)
    except ValueError:
        raise Reject("impossible-date")


def parse_classic(b):
    s = decode(b)
    m = re.fullmatch(r"info3 (\d{8})-(\d\d:\d\d:\d\d) (.*)", s)
    if not m:
        raise Reject("bad-prefix")
    pre = parse_dt(m.group(1), m.group(2), "%Y%m%d", "%H:%M:%S")
    f = split_quoted(m.group(3))
    if len(f) < 36:
        raise Reject("truncated")
    if len(f) > 36:
        raise Reject("wrong-field-count")
    start = parse_dt(*f[5].split(" "), "%Y-%m-%d", "%H:%M:%S")
    end = parse_dt(*f[6].split(" "), "%Y-%m-%d", "%H:%M:%S")
    if pre != end:
        problem("prefix time %s != end time %s" % (pre, end))
    if not (0 <= (end - start).total_seconds() <= 2):
        problem("odd duration %s %s" % (start, end))
    if (f[10], f[11], f[13]) != (str(start.year), str(start.month), str(start.day)):
        problem("date parts mismatch %s" % f[5])
    keys = dict(kv.split("=", 1) for kv in f[27].split("&"))
    bsn = keys.get("Burgerservicenr")
    if bsn is not None and not bsn_ok(bsn):
        raise Reject("invalid-bsn")
    return dict(t=start, user=f[15], bsn=bsn, page=f[25], roles=f[22].split(","), esc="",
                keys=f[27], name=f[17])


def parse_v5(b):
    s = decode(b)
    f = s.split(",")
    if len(f) != 16:
        raise Reject("wrong-field-count")
    if f[0] != "5":
        raise Reject("bad-version")
    if not re.fullmatch(r"\d\d:\d\d:\d\d\.\d{3}", f[4]):
        raise Reject("bad-time")
    t = parse_dt(f[3], f[4], "%Y-%m-%d", "%H:%M:%S.%f")
    bsn = None
    if f[11]:
        if not f[11].startswith("bsn="):
            raise Reject("bad-key")
        bsn = f[11][4:]
        if not bsn_ok(bsn):
            raise Reject("invalid-bsn")
    return dict(t=t, user=f[5], bsn=bsn, page=f[10], roles=f[7].split("&"), esc=f[15],
                keys=f[11], name=f[6])


# ------------------------------------------------------------------ read logs
names = sorted(os.listdir(LOGS))
if len(names) != 2:
    problem("logs/ holds %r" % names)
LOOKUPS = []
REJECTS = set()
order_stats = {}
for name in names:
    path = os.path.join(LOGS, name)
    data = open(path, "rb").read()
    if name.endswith(".gz"):
        data = gzip.decompress(data)
    is_v5 = "raadpleegpersoon_v5" in name
    if not data.endswith(b"\n"):
        problem("%s: no final newline" % name)
    lines = data.split(b"\n")[:-1]
    prev_utc, backsteps, maxback = None, 0, dt.timedelta(0)
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
        rec.update(utc=u, file=name, line=no)
        LOOKUPS.append(rec)
        if prev_utc is not None and u < prev_utc:
            backsteps += 1
            maxback = max(maxback, prev_utc - u)
        prev_utc = u if prev_utc is None else max(prev_utc, u)
    order_stats[name] = (len(lines), backsteps, maxback.total_seconds())

# ------------------------------------------------------------------ recompute rules
FIND = set()
for r in LOOKUPS:
    t = r["t"]
    day = t.date()
    if t.weekday() >= 5 or t.time() < dt.time(6) or t.time() >= dt.time(19):
        FIND.add(("off-hours", r["user"], r["bsn"], day.isoformat()))
    if r["bsn"] is not None:
        ok = any(b - dt.timedelta(days=30) <= day and (e is None or day <= e + dt.timedelta(days=90))
                 for b, e in CASES.get(r["bsn"], []))
        if not ok:
            FIND.add(("no-case-link", r["user"], r["bsn"], day.isoformat()))
    if r["esc"]:
        FIND.add(("whitelist-escape", r["user"], r["bsn"], day.isoformat()))

by_user = defaultdict(list)
for r in LOOKUPS:
    by_user[r["user"]].append(r)
for u in by_user:
    by_user[u].sort(key=lambda r: r["utc"])

H = dt.timedelta(minutes=60)


def bursts(inclusive, trailing):
    out = []
    for user, rs in by_user.items():
        ts = [r["utc"] for r in rs]
        n = len(ts)
        ivs = []
        j = 0
        if not trailing:
            for i in range(n):
                j = max(j, i)
                while j + 1 < n and ((ts[j + 1] - ts[i] <= H) if inclusive else (ts[j + 1] - ts[i] < H)):
                    j += 1
                if j - i + 1 >= 100:
                    ivs.append([i, j])
        else:
            i = 0
            for j in range(n):
                while (ts[j] - ts[i] > H) if inclusive else (ts[j] - ts[i] >= H):
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
    problem("burst result depends on window convention: %r" % variants)
BURSTS = variants[0]

# ------------------------------------------------------------------ compare with truth
truth = json.load(open(os.path.join(ROOT, "truth.json"), encoding="utf-8"))

if truth["lookups"] != len(LOOKUPS):
    problem("lookups: truth %d, recomputed %d" % (truth["lookups"], len(LOOKUPS)))

t_rej = {(r["file"], r["line"], r["kind"]) for r in truth["rejects"]}
if t_rej != REJECTS:
    problem("rejects differ: truth-only %r, checker-only %r" % (sorted(t_rej - REJECTS), sorted(REJECTS - t_rej)))
per_file = defaultdict(int)
for f, _, _ in REJECTS:
    per_file[f] += 1
for f in names:
    if not 3 <= per_file[f] <= 6:
        problem("%s has %d rejects" % (f, per_file[f]))

t_find = [(f["rule"], f["user"], f["bsn"], f["date"]) for f in truth["findings"]]
if len(t_find) != len(set(t_find)):
    problem("duplicate findings in truth")
if set(t_find) != FIND:
    problem("findings differ:\n  truth-only %r\n  checker-only %r" % (sorted(set(t_find) - FIND, key=str),
                                                                     sorted(FIND - set(t_find), key=str)))


def iso_parse(s):
    return dt.datetime.fromisoformat(s)


t_b = sorted((b["user"], iso_parse(b["from"]), iso_parse(b["to"]), b["count"]) for b in truth["bursts"])
if t_b != BURSTS:
    problem("bursts differ: truth %r checker %r" % (t_b, BURSTS))

for nf in truth["notFindings"]:
    key = (nf["rule"], nf["user"], nf["bsn"], nf["date"])
    if nf["rule"] == "bulk-lookups":
        if any(b[0] == nf["user"] and b[1].date().isoformat() == nf["date"] for b in BURSTS):
            problem("notFinding is a burst: %r" % nf)
        # the user's densest 60-minute window that day must be exactly the claimed count
        ts = [r["utc"] for r in by_user[nf["user"]] if r["t"].date().isoformat() == nf["date"]]
        best = max(sum(1 for x in ts if a <= x < a + H) for a in ts)
        if best != nf.get("count", best):
            problem("notFinding burst count %d != %r" % (best, nf))
        continue
    if key in FIND:
        problem("notFinding actually fires: %r" % nf)
    if not any(r["user"] == nf["user"] and r["bsn"] == nf["bsn"] and r["t"].date().isoformat() == nf["date"]
               for r in LOOKUPS):
        problem("notFinding has no lookup: %r" % nf)

# ------------------------------------------------------------------ "clean lookups trigger nothing" sanity
for r in LOOKUPS:
    u = USERS.get(r["user"])
    if u is None:
        problem("unknown user %s" % r["user"])
        continue
    if u["end_date"] and r["t"].date().isoformat() > u["end_date"]:
        problem("lookup by departed user %s" % r["user"])
    if r["roles"] != u["roles"].split("|"):
        problem("roles in log differ from users.csv for %s" % r["user"])
    if not any(r["page"] in AUTHZ[ro] for ro in r["roles"]):
        problem("page %s not allowed for %s" % (r["page"], r["user"]))
    if r["bsn"] in WATCH or r["bsn"] in EMP_BSN:
        problem("watchlist/employee BSN looked up: %s" % r["bsn"])
    if r["t"].month != 3 or r["t"].year != 2026:
        problem("lookup outside March 2026: %s" % r["t"])
    if r["file"].endswith(".gz") != (r["t"].day <= 18):
        problem("lookup in wrong file: %s %s" % (r["file"], r["t"]))
    if r["bsn"] and r["bsn"].startswith("9999"):
        problem("test-range BSN %s" % r["bsn"])

# per-user per-working-day volumes of plain office-hours lookups
per_day = defaultdict(int)
for r in LOOKUPS:
    if r["t"].weekday() < 5 and dt.time(8) <= r["t"].time() <= dt.time(17, 30):
        per_day[(r["user"], r["t"].date())] += 1
vols = sorted(per_day.values())
nonbsn = sum(1 for r in LOOKUPS if r["bsn"] is None)

# ------------------------------------------------------------------ report
rule_counts = defaultdict(int)
for f in FIND:
    rule_counts[f[0]] += 1
print("lookups %d, rejects %d, findings %s, bursts %d, non-BSN lookups %d"
      % (len(LOOKUPS), len(REJECTS), dict(sorted(rule_counts.items())), len(BURSTS), nonbsn))
for name, (n, back, mx) in order_stats.items():
    print("%s: %d physical lines, %d backward steps, max back %.0f s" % (name, n, back, mx))
print("office-hours lookups per user-day: min %d, max %d (incl. burst days)" % (vols[0], vols[-1]))
for b in BURSTS:
    print("burst", b[0], b[1].isoformat(), b[2].isoformat(), b[3])
for r in sorted(REJECTS):
    print("reject %s:%d:%s" % r)
if problems:
    print("\nPROBLEMS (%d):" % len(problems))
    for p in problems:
        print(" -", p)
    sys.exit(1)
print("OK: truth.json agrees with the recomputation")
