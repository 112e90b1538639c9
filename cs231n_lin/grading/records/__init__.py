"""The grader's records stage: what a grade leaves behind: the student's notebooks and answers as
submitted, Gradescope's results.json, the facts for the class report, written marks, the autograder zip.
"""
