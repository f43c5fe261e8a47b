import subprocess


def run(command):
    return subprocess.call(command, shell=True)


def run_reviewed(command):
    return subprocess.call(command, shell=True)  # nosec B602 -- reviewed: command is a constant
