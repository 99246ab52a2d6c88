"""Reading what users give: article files and standard input (`files`), JSONL (`jsonl`)."""
