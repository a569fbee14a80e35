#!/usr/bin/env python3
"""Writes the demo's sample data (two small, realistic accounts) as CSV files next to this script.

Deterministic: the same files every time. Run it only to change the sample; the CSV files are committed
and loaded by `license-batch demo`.
"""
import csv
import os
import random
from datetime import datetime, timedelta

random.seed(20261126)
HERE = os.path.dirname(os.path.abspath(__file__))
NOW = datetime(2026, 11, 20, 9, 0, 0)

FIRST = ["Ana", "Bruno", "Carla", "Diego", "Elena", "Farid", "Grace", "Hugo", "Ines", "Jonas", "Kira", "Luis",
         "Maya", "Nils", "Olga", "Pedro", "Quinn", "Rosa", "Sven", "Tara", "Umar", "Vera", "Wen", "Yara", "Zoe",
         "Aiko", "Ben", "Chloe", "Dara", "Emil"]
LAST = ["Silva", "Costa", "Meyer", "Novak", "Okafor", "Patel", "Rossi", "Santos", "Tanaka", "Weber", "Kowalski",
        "Larsen", "Moreau", "Nguyen", "Ortiz", "Park", "Quint", "Reyes", "Schmidt", "Tran"]
DEPARTMENTS = ["Sales", "Engineering", "Marketing", "Support", "Finance", "HR"]
LOCATIONS = ["Lisbon", "Berlin", "Austin", "Singapore"]
GROUPS = ["Managers", "New hires", "Certification track", "EMEA", "Mentors"]
COURSES = ["course:excel-advanced", "course:leadership-101", "course:python-basics", "course:negotiation",
           "course:gdpr-essentials", "course:public-speaking", "video:feedback-that-works", "path:data-analyst",
           "course:sql-fundamentals", "video:time-management"]

TYPES = [("LEARNING_PRO", "Learning Pro", False), ("LEARNING_HUB", "Learning Hub", False),
         ("LEARNING_ESSENTIALS", "Learning Essentials", False), ("LEARNING_CLASSIC", "Learning Classic (retired)", True)]

ORGS = [
    # name, domain, learners, pools {type: seats_total}, type weights for current licenses
    ("Acme Learning", "acme.example", 300,
     {"LEARNING_PRO": 170, "LEARNING_HUB": 90, "LEARNING_ESSENTIALS": 60, "LEARNING_CLASSIC": 20},
     [("LEARNING_PRO", 50), ("LEARNING_HUB", 20), ("LEARNING_ESSENTIALS", 15), ("LEARNING_CLASSIC", 5), (None, 10)]),
    ("Globex Training", "globex.example", 120,
     {"LEARNING_PRO": 60, "LEARNING_HUB": 60, "LEARNING_ESSENTIALS": 20},
     [("LEARNING_PRO", 40), ("LEARNING_HUB", 40), ("LEARNING_ESSENTIALS", 10), (None, 10)]),
]


def pick(weighted):
    total = sum(w for _, w in weighted)
    r = random.uniform(0, total)
    for value, w in weighted:
        r -= w
        if r <= 0:
            return value
    return weighted[-1][0]


def ts(dt):
    return dt.strftime("%Y-%m-%d %H:%M:%S") if dt else ""


def main():
    learners, assignments, activities, pools = [], [], [], []
    ref = 0
    for org, domain, count, seats, weights in ORGS:
        for code, total in seats.items():
            pools.append([org, code, total])
        used_emails = set()
        for i in range(count):
            first, last = random.choice(FIRST), random.choice(LAST)
            if org == "Acme Learning" and i < 3:
                # The demo names these three learners: fixed, so the demo's commands are stable.
                first, last = [("Ana", "Silva"), ("Bruno", "Costa"), ("Carla", "Meyer")][i]
            email = f"{first}.{last}".lower() + f"@{domain}"
            n = 2
            while email in used_emails:
                email = f"{first}.{last}{n}".lower() + f"@{domain}"
                n += 1
            used_emails.add(email)
            status = pick([("ACTIVE", 80), ("PENDING", 10), ("DEACTIVATED", 10)])
            department = random.choice(DEPARTMENTS)
            location = random.choice(LOCATIONS)
            current = pick(weights)
            if org == "Acme Learning" and i < 3:
                status, department, current = "ACTIVE", "Sales", "LEARNING_PRO"
            groups = sorted(random.sample(GROUPS, random.choice([0, 1, 1, 2])))
            if status == "PENDING":
                last_active = None
            else:
                last_active = NOW - timedelta(days=random.choice([1, 3, 7, 20, 45, 90, 200, 400]),
                                              minutes=random.randint(0, 600))
            external_id = f"HR-{domain.split('.')[0].upper()}-{1000 + i}" if random.random() < 0.8 else ""
            learners.append([org, email, external_id, f"{first} {last}", status, department, location,
                             ts(last_active), ";".join(groups)])
            # History: a third of the licensed learners were on another type before their current one.
            start = NOW - timedelta(days=random.randint(120, 700))
            if current is not None and random.random() < 0.33:
                prior = random.choice([t for t in seats if t != current])
                switch = start + timedelta(days=random.randint(30, 100))
                ref += 1
                assignments.append([org, email, prior, ts(start), "admin:setup", ts(switch), "REASSIGNED",
                                    "admin:setup", ref])
                add_activity(activities, ref, start, switch, status)
                start = switch
            if current is not None:
                ref += 1
                assignments.append([org, email, current, ts(start), "admin:setup", "", "", "", ref])
                add_activity(activities, ref, start, NOW - timedelta(days=1), status)
            elif random.random() < 0.5:
                # No license now: revoked earlier, with the usage from before kept.
                ended = start + timedelta(days=random.randint(30, 90))
                ref += 1
                assignments.append([org, email, "LEARNING_ESSENTIALS", ts(start), "admin:setup", ts(ended),
                                    "REVOKED", "admin:setup", ref])
                add_activity(activities, ref, start, ended, status)

    write("organizations.csv", ["name"], [[org[0]] for org in ORGS])
    write("license_types.csv", ["code", "name", "retired"], [[c, n, str(r).lower()] for c, n, r in TYPES])
    write("license_pools.csv", ["organization", "license_type", "seats_total"], pools)
    write("learners.csv", ["organization", "email", "external_id", "display_name", "status", "department",
                           "location", "last_active_at", "groups"], learners)
    write("license_assignments.csv", ["organization", "email", "license_type", "assigned_at", "assigned_by",
                                      "ended_at", "end_reason", "ended_by", "ref"], assignments)
    write("learning_activity.csv", ["assignment_ref", "content_id", "seconds_viewed", "occurred_at"], activities)


def add_activity(activities, ref, start, end, status):
    if status == "PENDING" or end <= start:
        return
    for _ in range(random.randint(2, 6)):
        at = start + (end - start) * random.random()
        activities.append([ref, random.choice(COURSES), random.randint(60, 3600), ts(at)])


def write(name, header, rows):
    with open(os.path.join(HERE, name), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)


if __name__ == "__main__":
    main()
