"""The grader's report stage: the class report: overview, one page per written question, what to re-teach,
and a generated class to measure it.
"""
