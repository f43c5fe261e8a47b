"""AI-evaluation family: red-team runs (garak, promptfoo) classed by attack, and measured metrics
(safety, privacy, robustness, fairness).
"""
