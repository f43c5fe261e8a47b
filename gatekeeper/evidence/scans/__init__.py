"""Security-scan family: SARIF from any tool and the native JSON of the scanners gatekeeper knows,
read into scan runs and normalized findings.
"""
