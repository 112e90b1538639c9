"""The grader's judge stage: judging against the task table: hidden cases, the visible checks' verdicts
from the sandbox, the properties of each case, notebook functions, and the diagnoses of known mistakes.
"""
