"""`python -m keypoints`: the same as the `keypoints` command."""

from keypoints.entry import main

main()
