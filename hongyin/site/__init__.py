"""The top of the house: what assembles every app (the API mount)."""
