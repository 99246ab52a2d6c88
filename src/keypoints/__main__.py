"""`python -m keypoints`: the same as the `keypoints` command."""

from keypoints.cli import main

main()
