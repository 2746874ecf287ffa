"""Red credit, partner offers with four-priorities tickets, and investment."""
