"""Infrastructure family: how the system is deployed, from Kubernetes manifests and Dockerfiles."""
