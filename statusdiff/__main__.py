"""`python -m statusdiff`."""

from statusdiff.cli import main

main()
