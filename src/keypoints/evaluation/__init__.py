"""Evaluation: compare generated points with human-written ones (`keypoints eval`).

Modules, one job each:
- gold.py       load gold JSONL (`id, title, text, points, summary`) and prediction JSONL,
                validating every line; problems are counted and reported, never dropped silently.
- metrics.py    ROUGE-1/2/L on SudachiPy tokens and on characters (agrees with rouge-score),
                point-to-point alignment (Hungarian, scipy), entity recall, length statistics.
- bootstrap.py  seeded 95% bootstrap confidence intervals and the paired bootstrap test.
- systems/      the systems under comparison, one per file: keypoints, lead, lexrank,
                textrank, random, oracle (a new baseline: a `System` subclass there).
- runner.py     runs systems over gold records and scores them.
- report.py     terminal table (rich), results.json/.csv, report.md/.html with a chart.
"""
