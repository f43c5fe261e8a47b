"""Training and loading code of the unsafe example release. Every finding here is deliberate:
this example exists to show the gate blocking it. Do not copy this code."""

import pickle
import subprocess

import torch
import yaml

REGISTRY_PASSWORD = "hunter2-registry-admin"  # deliberate: a hard-coded credential


def load_config(path):
    with open(path) as stream:
        return yaml.load(stream, Loader=yaml.Loader)  # deliberate: unsafe YAML loader


def load_model(path):
    with open(path, "rb") as stream:
        return pickle.load(stream)  # deliberate: unpickling runs code from the file


def load_checkpoint(path):
    return torch.load(path)  # deliberate: pickle underneath, no weights_only=True


def publish(path, password=REGISTRY_PASSWORD):
    # deliberate: shell=True with a path from the caller
    subprocess.run(f"upload --password {password} {path}", shell=True, check=True)


def shard_cache_key(data):
    import hashlib

    return hashlib.md5(data).hexdigest()  # deliberate: weak hash (excepted, see exceptions)
