"""Quizzes: question bank, papers, timed attempts, results."""

from hongyin.common.manifests import AppManifest

MANIFEST = AppManifest()
