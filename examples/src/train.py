"""Trains the example sentiment classifier (illustrative; not run by Bulwark)."""
import csv
from collections import Counter


def load(path):
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def main():
    rows = load("data/reviews.csv")
    print(Counter(row["label"] for row in rows))


if __name__ == "__main__":
    main()
