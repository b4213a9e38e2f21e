"""Benchmarks: Phasebook against plain MkDocs + Material and plain parsing, whole processes,
alternating. Run them from the repository root as modules (``python -m bench.run_all``); the
user guide's performance page says what each measures."""
