"""The grader's release stage: the student version: solution regions to stubs, notebooks cleared, the
student's README and Makefile, leak checks.
"""
