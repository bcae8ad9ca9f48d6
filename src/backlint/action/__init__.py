"""The GitHub Action: ``backlint action``, the runner's workflow commands and the job summary."""
