"""Japanese text resources shared by the stages: character tables, word lists, the one
SudachiPy and the one GiNZA loader, rule entities and the conjugation table."""
