#!/usr/bin/env python3
"""Build data/reference/profiles.csv, the world reference set, from facts.

Inputs (none of them enters the project tree, only the facts derived):
  - cyberwell's own reading of every real profile in SHARED/data/itu-profiles
    (`cyberwell score --format json` and `cyberwell parse --format json`
    under rubric/gci2014.csv): each section's status and the line of the
    deciding sentence, the profile's SHA-256 and its "Last updated" date;
  - the careful readers' labels in SHARED/data/itu-labels: expected.csv
    (a differing status replaces cyberwell's: origin "corrected"),
    disputed.csv (cyberwell's status kept: origin "disputed") and
    held-back.csv (statuses only: origin "held-back").
No sentence of a profile is written: reasons are the readers' short labels
or words of ours.

Usage: python3 tools/make-reference.py [--shared DIR] [--cyberwell BIN]
Run from the repository root; writes data/reference/profiles.csv and
prints the counts data/reference/README.md reports.
"""
import argparse
import csv
import json
import os
import re
import subprocess
import sys

SECTIONS = ["1.1.1", "1.1.2", "1.2.1", "1.2.2", "1.2.3", "1.3.1", "1.3.2",
            "1.3.3", "1.3.4", "1.4.1", "1.4.2", "1.4.3", "1.4.4", "1.5.1",
            "1.5.2", "1.5.3", "1.5.4", "2.1", "2.2", "2.3", "2.4"]
SOURCE_URL = ("https://www.itu.int/en/ITU-D/Cybersecurity/Pages/"
              "Country_Profiles.aspx")
HEADER = ["kind", "iso3", "country", "section", "status", "line",
          "profile_date", "profile_sha256", "source_url", "origin", "note"]
MONTHS = {m: i + 1 for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july",
     "august", "september", "october", "november", "december"])}

# Why the careful readers' status differs from cyberwell's, in our words,
# keyed by (iso3, section). Filled from the review of every correction
# (see data/reference/README.md); a correction without an entry here
# stops the script, so that none goes unexplained.
REASONS = {
    ('ARG', '1.3.1'):
        'the national plan is still a draft: under way, partial',
    ('AZE', '1.2.3'):
        'no certification framework; the only item named is a training course, another measure: absent',
    ('BDI', '1.2.1'):
        'the national CIRT is a project being implemented with ITU: under way, partial',
    ('BIH', '1.4.2'):
        'the project named is law-enforcement information exchange, another measure, and nothing is known of training programmes: absent',
    ('BRA', '1.3.3'):
        'no single recognised agency, but the responsibility is shared among named national bodies: partial',
    ('CMR', '1.4.1'):
        'no research and development programme, but the national agency has issued good-practice guidelines for the public sector: partial',
    ('CRI', '1.3.1'):
        'the profile says there is no national strategy yet; the digital strategy only names cybersecurity as a priority: absent',
    ('CRI', '1.5.3'):
        "the national CSIRT's arrangements with companies and banks are described as limited and informal: partial",
    ('CYP', '1.2.1'):
        'only a research and education CSIRT and an ITU readiness assessment, no national CIRT: partial',
    ('DZA', '1.4.2'):
        'the only item named is student clubs, not a national programme: absent',
    ('EST', '1.4.3'):
        "the profile gives the CERT's staff numbers but not whether they are certified: unknown",
    ('ETH', '2.2'):
        'one of the two instruments (the Convention, not its Optional Protocol): partial',
    ('GHA', '2.3'):
        'a police unit handles crimes against children, but online offences are not defined: partial',
    ('HTI', '2.1'):
        'the one provision listed is annotated as not covering child abuse material: limited, partial (as MEX 2.1)',
    ('IND', '1.2.3'):
        'no certification framework; the standard named is another measure: absent',
    ('ISR', '1.4.2'):
        'training is planned for the future and only a committee on professions exists: partial',
    ('LBY', '1.1.1'):
        'no cybercrime law yet, but one is being drafted: partial',
    ('MEX', '1.3.3'):
        'a garbled sentence that still names the federal body responsible for the strategy: present',
    ('MNG', '1.2.3'):
        'the section describes cyber units, nothing on certification or accreditation: unknown',
    ('NGA', '1.4.1'):
        'the only item named is a review of social media readiness, not standards research: absent',
    ('SLV', '1.2.2'):
        'the section only repeats that a strategy is being developed and says nothing of standards: unknown',
    ('SWE', '1.2.2'):
        "no recognised standards framework on record; the caveat names an agency's technical role, another measure: absent",
    ('TTO', '1.3.3'):
        'no agency yet, but the national strategy plans one: a national step, partial',
    ('TUV', '1.2.2'):
        'the caveat names cybercrime policy and law in preparation, another measure: absent',
    ('UKR', '1.3.1'):
        'an officially recognised national security strategy is given as the policy: present',
    ('VCT', '1.5.1'):
        'cooperation is described as taking place, with support from a regional forensic laboratory: present',
}


def iso_date(text):
    """'4th March 2015' or '22th January 2015' -> '2015-03-04'."""
    m = re.match(r"\s*(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]+),?\s+(\d{4})",
                 text)
    if not m or m.group(2).lower() not in MONTHS:
        sys.exit("cannot read the date '%s'" % text)
    return "%s-%02d-%02d" % (m.group(3), MONTHS[m.group(2).lower()],
                             int(m.group(1)))


def run_json(cw, args):
    out = subprocess.run([cw] + args, check=True, capture_output=True)
    return json.loads(out.stdout)


def names(path):
    with open(path, newline="", encoding="utf-8") as f:
        return {r["iso3"]: r["name"] for r in csv.DictReader(f)}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--shared", default="../shared")
    ap.add_argument("--cyberwell", default="build/cyberwell")
    ap.add_argument("--out", default="data/reference/profiles.csv")
    a = ap.parse_args()
    prof = os.path.join(a.shared, "data/itu-profiles")
    lab = os.path.join(a.shared, "data/itu-labels")
    country = names("data/countries.csv")

    with open(os.path.join(lab, "expected.csv"), newline="") as f:
        expected = {(r["iso3"], r["section"]): r for r in csv.DictReader(f)}
    with open(os.path.join(lab, "disputed.csv"), newline="") as f:
        disputed = {(r["iso3"], r["section"]): r for r in csv.DictReader(f)}

    rows = []
    counts = {"read": 0, "corrected": 0, "disputed": 0, "held-back": 0}
    corrections = []
    files = sorted(f for f in os.listdir(prof) if f.endswith(".txt"))
    for name in files:
        path = os.path.join(prof, name)
        iso3 = name[:3].upper()
        sc = run_json(a.cyberwell, ["score", "--rubric", "rubric/gci2014.csv",
                                    "--format", "json", path])[0]
        pa = run_json(a.cyberwell, ["parse", "--format", "json", path])
        pa = pa[0] if isinstance(pa, list) else pa
        date = pa.get("last_updated")
        if not date:  # no footer: the latest date of a background figure
            dates = [f["date"] for f in (pa.get("population"),
                                         pa.get("internet_users_pct"))
                     if f and f.get("date")]
            date = max(dates) if dates else ""
        by_sec = {i["section"]: i for i in sc["indicators"]}
        for sec in SECTIONS:
            ind = by_sec[sec]
            status, line = ind["status"], ind.get("line") or ""
            origin, note = "read", ""
            key = (iso3, sec)
            if key in disputed:
                d = disputed[key]
                origin = "disputed"
                note = "readers differ: %s or %s; cyberwell's status kept" % (
                    d["reading_1"], d["reading_2"])
            elif key in expected and expected[key]["status"] != status:
                want = expected[key]["status"]
                why = REASONS.get(key)
                if why is None:
                    sys.exit("no reason recorded for the correction %s %s: "
                             "%s -> %s" % (iso3, sec, status, want))
                note = "cyberwell read %s; %s" % (status, why)
                corrections.append((iso3, sec, status, want, why))
                origin, status = "corrected", want
                if want in ("unknown", "not stated"):
                    line = line if want == "unknown" else ""
            elif key not in expected:
                sys.exit("no label for %s %s" % key)
            if status == "not stated":
                line = ""
            counts[origin] += 1
            rows.append(["profile", iso3, country[iso3], sec, status, line,
                         date, sc["sha256"], SOURCE_URL, origin, note])

    with open(os.path.join(lab, "held-back.csv"), newline="") as f:
        for r in csv.DictReader(f):
            status, note = r["status"], ""
            if status == "disputed":
                status, note = "unknown", "readers differ; kept as unknown"
            counts["held-back"] += 1
            rows.append(["profile", r["iso3"], country[r["iso3"]],
                         r["section"], status, "",
                         iso_date(r["profile_last_updated"]),
                         r["profile_sha256"], SOURCE_URL, "held-back", note])

    rows.sort(key=lambda r: (r[1], SECTIONS.index(r[3])))
    with open(a.out, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(HEADER)
        w.writerows(rows)
    print("rows %d, countries %d" % (len(rows), len({r[1] for r in rows})))
    for k, v in counts.items():
        print("origin %s: %d" % (k, v))
    kinds = {}
    for c in corrections:
        kinds[(c[2], c[3])] = kinds.get((c[2], c[3]), 0) + 1
    for (frm, to), n in sorted(kinds.items()):
        print("corrected %s -> %s: %d" % (frm, to, n))
    for c in corrections:
        print("correction %s %s %s -> %s: %s" % c)


if __name__ == "__main__":
    main()
