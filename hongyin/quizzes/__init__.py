"""Quizzes: question bank, papers, timed attempts, results."""
