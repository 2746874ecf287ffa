"""Supply-demand posts, explainable matching, contacts and deals along a chain."""
