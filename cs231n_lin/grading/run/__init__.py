"""The grader's run stage: the isolated run: the sandbox (bubblewrap, or the user-mode fallback), the CPU-
time budget, the scratch copy, the worker that calls the student's code inside it, and the speed
measured from outside.
"""
