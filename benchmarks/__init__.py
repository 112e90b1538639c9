"""Benchmarks of cs231n_lin: ratios measured in one run (``make bench`` or ``python -m benchmarks``)."""
