"""Instructor tooling: release the student version, check, and grade submissions."""
