"""Study: materials, courses, assignments, reading progress, discussion threads."""
