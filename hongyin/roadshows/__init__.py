"""Roadshows and matchmaking events followed to landed projects; one-stop services and packages."""
