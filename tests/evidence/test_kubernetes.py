"""Kubernetes manifests: the facts the INF and HIL controls read, and clear errors."""

from pathlib import Path

import pytest

from gatekeeper.errors import EvidenceError
from gatekeeper.evidence.context import CollectContext
from gatekeeper.evidence.infrastructure.kubernetes import collect, read_manifest

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"

GPU_CRONJOB = """\
apiVersion: batch/v1
kind: CronJob
metadata: {name: rescore, namespace: ml-batch}
spec:
  schedule: "0 1 * * *"
  jobTemplate:
    spec:
      template:
        metadata:
          labels: {app: rescore}
        spec:
          runtimeClassName: kata-qemu-snp
          nodeSelector: {cloud.google.com/gke-accelerator: nvidia-l4}
          affinity:
            nodeAffinity:
              requiredDuringSchedulingIgnoredDuringExecution:
                nodeSelectorTerms:
                  - matchExpressions:
                      - {key: nvidia.com/gpu.product, operator: In, values: [NVIDIA-L4]}
          tolerations:
            - {key: nvidia.com/gpu, operator: Exists, effect: NoSchedule}
          initContainers:
            - name: fetch
              image: busybox@sha256:aa
              securityContext: {capabilities: {add: [NET_ADMIN]}}
          containers:
            - name: rescore
              image: trainer:1.0
              resources:
                requests: {cpu: "1", memory: 1Gi, nvidia.com/mig-1g.10gb: "1"}
                limits: {nvidia.com/mig-1g.10gb: "1", hugepages-2Mi: 1Gi}
              securityContext: {privileged: true, allowPrivilegeEscalation: true}
"""


def test_a_cronjob_pod_template_is_read_with_its_scheduling_and_resources():
    facts = read_manifest(GPU_CRONJOB, "k8s/rescore.yaml")
    (workload,) = facts["workloads"]
    assert (workload["kind"], workload["namespace"], workload["name"], workload["line"]) == (
        "CronJob", "ml-batch", "rescore", 1)
    assert workload["pod_labels"] == {"app": "rescore"}
    assert workload["runtime_class"] == "kata-qemu-snp"
    assert workload["node_selector"] == {"cloud.google.com/gke-accelerator": "nvidia-l4"}
    assert workload["required_node_affinity"] == [
        {"key": "nvidia.com/gpu.product", "operator": "In", "values": ["NVIDIA-L4"]}]
    assert workload["tolerations"] == [
        {"key": "nvidia.com/gpu", "operator": "Exists", "value": None, "effect": "NoSchedule"}]
    main, init = workload["containers"]
    assert (init["kind"], init["capabilities_add"], init["privileged"]) == (
        "init", ["NET_ADMIN"], None)
    assert main["resources"] == {"nvidia.com/mig-1g.10gb": "1"}
    assert (main["privileged"], main["allow_privilege_escalation"]) == (True, True)
    assert facts["files"] == [{"path": "k8s/rescore.yaml", "objects": 1}]


def test_network_policy_types_follow_kubernetes_defaulting():
    text = """\
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: ingress-only}
spec:
  podSelector: {matchLabels: {app: a}}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: both, namespace: ml}
spec:
  podSelector:
    matchExpressions: [{key: app, operator: In, values: [a, b]}]
  egress:
    - to: [{ipBlock: {cidr: 0.0.0.0/0, except: [10.0.0.0/8]}}]
      ports: [{port: 443, protocol: TCP}]
    - {}
"""
    first, second = read_manifest(text, "np.yaml")["network_policies"]
    assert (first["namespace"], first["policy_types"], first["line"]) == ("default", ["Ingress"], 1)
    assert second["policy_types"] == ["Ingress", "Egress"] and second["line"] == 7
    assert second["pod_selector"]["match_expressions"] == [
        {"key": "app", "operator": "In", "values": ["a", "b"]}]
    assert second["egress"] == [
        {"peers": [{"ip_block": {"cidr": "0.0.0.0/0", "except": ["10.0.0.0/8"]}}],
         "ports": [{"port": "443", "protocol": "TCP"}]},
        {"peers": [], "ports": []},
    ]


def test_lists_anchors_and_other_kinds():
    text = """\
apiVersion: v1
kind: List
items:
  - apiVersion: v1
    kind: Pod
    metadata: {name: a, labels: &labels {app: a}}
    spec: {hostNetwork: true, containers: [{name: c, image: x}]}
  - apiVersion: v1
    kind: Service
    metadata: {name: a-svc}
    spec: {selector: *labels}
"""
    facts = read_manifest(text, "list.yaml")
    assert [w["name"] for w in facts["workloads"]] == ["a"]
    assert facts["workloads"][0]["host_network"] is True
    assert facts["workloads"][0]["pod_labels"] == {"app": "a"}
    assert facts["files"][0]["objects"] == 2


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("apiVersion: v1\nkind: Pod\nmetadata:\n  name: {{ .Values.name }}\n",
         "line 4, column 10: a mapping or list used as a key (a template, not YAML?)"),
        ("apiVersion: v1\nkind: Pod\nkind: Service\n", "line 3, column 1: duplicate key 'kind'"),
        ("replicas: 3\nimage: x\n", "line 1: not a Kubernetes object"),
        ("apiVersion: v1\nkind: Namespace\n---\n- a\n- b\n", "line 4: not a Kubernetes object"),
        ("# only a comment\n", "holds no Kubernetes object"),
        ("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec: {replicas: 1}\n",
         "line 1: Deployment 'd' has no pod spec"),
    ],
)
def test_bad_manifests_are_errors_naming_file_and_line(text, problem):
    with pytest.raises(EvidenceError) as error:
        read_manifest(text, "deploy/app.yaml")
    assert str(error.value).startswith("deploy/app.yaml: ")
    assert problem in str(error.value)


def test_the_collector_reads_the_example_manifests():
    base = EXAMPLES / "model-release"
    context = CollectContext(base)
    section = collect(["deploy/k8s/*.yaml"], context)["kubernetes"]
    assert [f["path"] for f in section["files"]] == [
        "deploy/k8s/deployment.yaml", "deploy/k8s/eval-cronjob.yaml",
        "deploy/k8s/labeling.yaml", "deploy/k8s/networkpolicy.yaml"]
    assert {w["name"] for w in section["workloads"]} == {
        "sentiment-scorer", "sentiment-eval", "label-studio"}
    assert len(section["network_policies"]) == 3
    assert [s.collector for s in context.sources] == ["kubernetes"] * 4


def test_a_glob_that_matches_nothing_is_an_error(tmp_path):
    problem = r"evidence\.kubernetes\[0\]: the pattern 'k8s/\*\.yaml' matches no file"
    with pytest.raises(EvidenceError, match=problem):
        collect(["k8s/*.yaml"], CollectContext(tmp_path))


def test_a_binary_file_is_an_error(tmp_path):
    (tmp_path / "pod.yaml").write_bytes(b"\xff\xfe\x00")
    with pytest.raises(EvidenceError, match=r"pod\.yaml: not UTF-8 text"):
        collect(["pod.yaml"], CollectContext(tmp_path))
