"""Quality tooling: evaluation, the LangChain baseline, benchmarks and their report.

It imports the bot and is never imported by it (checked by tests/test_layout.py).
"""
