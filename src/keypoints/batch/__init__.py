"""`keypoints batch`: the ポイント of a whole archive, in parallel, crash-safe and resumable.

The main process reads records (`records`: JSONL, gzip'd JSONL, a directory of
articles or standard input), skips those already done, cuts the rest into small
chunks and hands them to an engine (`local_engine`: a process pool;
`dask_engine`: a Dask cluster), which runs `worker.process_chunk` in worker
processes, each holding one `Summarizer`, and gives the results back **in input
order** (`executor.ordered_results`), so the output lines follow the input and a
run is reproducible line for line. `runner.run` writes them (`output`), and
`parquet` turns the output into a Parquet table.
"""

from keypoints.batch.job import Counts, Fields, Job, Progress, default_errors_path
from keypoints.batch.runner import run

__all__ = ["Counts", "Fields", "Job", "Progress", "default_errors_path", "run"]
