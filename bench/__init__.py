"""Benchmarks: each module has main(); `python -m bench [name ...]` runs them and prints ratios to a baseline."""
