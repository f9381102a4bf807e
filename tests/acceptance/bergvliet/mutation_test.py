#!/usr/bin/env python3
"""Show that check_truth.py catches a wrong truth: three mutated copies of truth.json must each fail."""
import json
import os
import subprocess
import sys
import tempfile

ROOT = sys.argv[1] if len(sys.argv) > 1 else "/work/unseen2/month"
HERE = os.path.dirname(os.path.abspath(__file__))
base = json.load(open(os.path.join(ROOT, "truth.json"), encoding="utf-8"))


def drop_side_effect(t):
    """forget the no-case-link that a self-lookup of an uncased own BSN also fires"""
    selfs = {(f["user"], f["bsn"], f["date"]) for f in t["findings"] if f["rule"] == "self-lookup"}
    victim = next(f for f in t["findings"] if f["rule"] == "no-case-link" and (f["user"], f["bsn"], f["date"]) in selfs)
    t["findings"].remove(victim)
    return "removed %r" % victim


def shift_popular_date(t):
    """report the popular BSN that spans the file boundary one day late"""
    f = next(f for f in t["findings"] if f["rule"] == "popular-bsn" and f["date"] == "2026-04-13")
    f["date"] = "2026-04-14"
    return "popular-bsn %s date 2026-04-13 -> 2026-04-14" % f["bsn"]


def reject_off_by_one(t):
    """count physical lines of the gzipped classic file from 0 instead of 1"""
    r = next(r for r in t["rejects"] if r["file"].endswith(".gz"))
    r["line"] -= 1
    return "reject %s kind %s line %d -> %d" % (r["file"], r["kind"], r["line"] + 1, r["line"])


ok = True
for mut in (drop_side_effect, shift_popular_date, reject_off_by_one):
    t = json.loads(json.dumps(base))
    what = mut(t)
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False, encoding="utf-8") as fh:
        json.dump(t, fh, ensure_ascii=False)
    p = subprocess.run([sys.executable, os.path.join(HERE, "check_truth.py"), ROOT, "--truth", fh.name],
                       capture_output=True, text=True)
    os.unlink(fh.name)
    lines = [l for l in p.stdout.splitlines() if l.startswith(" -") or l.startswith("  ")]
    caught = p.returncode != 0
    ok &= caught
    print("%-20s %s: %s" % (mut.__name__, "CAUGHT" if caught else "MISSED", what))
    for l in lines[:4]:
        print("      ", l.strip()[:220])
sys.exit(0 if ok else 1)
