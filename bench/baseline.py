#!/usr/bin/env python3
"""The baseline of bench/run.sh: the script an analyst might write in an
afternoon instead of using cyberwell. It reads every *.txt profile in a
folder, finds the 21 numbered sections (1.1.1 ... 2.4), gives each the
status of the first sentence that one of five cue regexes matches, and
stores one row per document, per indicator (status, cue, line, sentence)
and per score (points out of 34 for the 17 GCI indicators) with the
standard sqlite3 module, in one transaction.

usage: baseline.py PROFILE_DIR DATABASE   (DATABASE is replaced)
"""
import hashlib
import os
import re
import sqlite3
import sys

INDICATORS = ["1.1.1", "1.1.2", "1.2.1", "1.2.2", "1.2.3", "1.3.1", "1.3.2",
              "1.3.3", "1.3.4", "1.4.1", "1.4.2", "1.4.3", "1.4.4", "1.5.1",
              "1.5.2", "1.5.3", "1.5.4", "2.1", "2.2", "2.3", "2.4"]

# A heading: a section number and its title in capitals ("1.2.1 CIRT"),
# at the start of a line or inside text collapsed onto one line.
HEADING = re.compile(r"(?<![\d.])(\d\.\d(?:\.\d)?)\.? +([A-Z][A-Z&/-]+"
                     r"(?: (?:[A-Z][A-Z&/-]+|&))*)\b")
SENTENCE_END = re.compile(r"(?<=[.!?:])\s+|\n\s*-\s*")

# The five cues, tried in this order on each sentence.
CUES = [
    ("unknown", re.compile(r"\b(no information|not provided|exact number)",
                           re.I)),
    ("absent", re.compile(r"\b(does not have|do not have|there is no|has not "
                          r"acceded|does not participate)\b", re.I)),
    ("partial", re.compile(r"\b(in the process|being (drafted|developed|"
                           r"prepared|planned|considered|negotiated|"
                           r"discussed)|in draft|under development|yet to be|"
                           r"not yet ratified)\b", re.I)),
    ("present", re.compile(r"\b(has|have|is a member|enacted|is responsible|"
                           r"acceded|supports|can be reported)\b", re.I)),
    ("none", re.compile(r"^\s*none\.?\s*$", re.I)),
]
POINTS = {"present": 2, "partial": 1}


def read_sections(text):
    """{number: (offset of its text, its text)} of the known sections."""
    heads = [m for m in HEADING.finditer(text) if m.group(1) in INDICATORS]
    sections = {}
    for i, m in enumerate(heads):
        end = heads[i + 1].start() if i + 1 < len(heads) else len(text)
        sections.setdefault(m.group(1), (m.end(), text[m.end():end]))
    return sections


def decide(text, start, body):
    """(status, cue, line, sentence) of one section's text."""
    offset = 0
    for sentence in SENTENCE_END.split(body):
        offset = body.find(sentence, offset)
        for status, cue in CUES:
            if cue.search(sentence):
                line = text.count("\n", 0, start + offset) + 1
                if status == "none":
                    status = "absent"
                return status, cue.pattern, line, sentence.strip()
    return "unknown", None, None, None


def main():
    folder, db_path = sys.argv[1], sys.argv[2]
    if os.path.exists(db_path):
        os.remove(db_path)
    db = sqlite3.connect(db_path)
    db.executescript("""
        CREATE TABLE documents(id INTEGER PRIMARY KEY, path TEXT NOT NULL,
            sha256 TEXT NOT NULL UNIQUE, title TEXT, size INTEGER NOT NULL);
        CREATE TABLE indicators(document_id INTEGER NOT NULL
            REFERENCES documents(id), indicator TEXT NOT NULL,
            status TEXT NOT NULL, cue TEXT, line INTEGER, evidence TEXT,
            PRIMARY KEY(document_id, indicator));
        CREATE TABLE scores(document_id INTEGER PRIMARY KEY
            REFERENCES documents(id), points INTEGER NOT NULL,
            overall REAL NOT NULL);
    """)
    n = 0
    with db:
        for name in sorted(os.listdir(folder)):
            if not name.endswith(".txt"):
                continue
            path = os.path.join(folder, name)
            with open(path, "rb") as f:
                data = f.read()
            text = data.decode("utf-8")
            title = re.search(r"CYBERWELLNESS PROFILE ([A-Z ]+?)\s+BACKGROUND",
                              text)
            cur = db.execute(
                "INSERT INTO documents(path, sha256, title, size) "
                "VALUES(?, ?, ?, ?)",
                (path, hashlib.sha256(data).hexdigest(),
                 title.group(1) if title else None, len(data)))
            doc_id = cur.lastrowid
            sections = read_sections(text)
            points = 0
            for number in INDICATORS:
                if number in sections:
                    status, cue, line, sentence = decide(text,
                                                         *sections[number])
                else:
                    status, cue, line, sentence = "not stated", None, None, None
                if not number.startswith("2."):
                    points += POINTS.get(status, 0)
                db.execute(
                    "INSERT INTO indicators(document_id, indicator, status, "
                    "cue, line, evidence) VALUES(?, ?, ?, ?, ?, ?)",
                    (doc_id, number, status, cue, line, sentence))
            db.execute("INSERT INTO scores(document_id, points, overall) "
                       "VALUES(?, ?, ?)", (doc_id, points, points / 34))
            n += 1
    db.close()
    print(f"baseline: {n} documents")


if __name__ == "__main__":
    main()
