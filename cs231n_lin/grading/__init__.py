"""Instructor tooling: release the student version, grade submissions, diagnose mistakes."""
