"""deploy/ checked offline: the Kubernetes manifests against the API schemas (kubernetes-validate, strict),
the compose file's wiring, the nginx config with nginx's own `-t`, the Dockerfile's promises, and that
all of them point at what the app really serves (port, probes, commands)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
K8S = DEPLOY / "kubernetes"
K8S_VERSION = "1.31.0"  # oldest Kubernetes still widely run; the manifests use nothing newer
MANIFESTS = sorted(p for p in K8S.glob("*.yaml") if p.name != "kustomization.yaml")


def _docs(path: Path) -> list[dict]:
    return [d for d in yaml.safe_load_all(path.read_text()) if d]


def _by_kind() -> dict[str, dict]:
    return {d["kind"]: d for p in MANIFESTS for d in _docs(p)}


@pytest.mark.parametrize("manifest", MANIFESTS, ids=lambda p: p.name)
def test_each_kubernetes_manifest_is_valid_against_the_api_schema(manifest):
    import kubernetes_validate

    for doc in _docs(manifest):
        kubernetes_validate.validate(doc, K8S_VERSION, strict=True)  # raises ValidationError naming the field


def test_the_kustomization_lists_every_manifest():
    listed = yaml.safe_load((K8S / "kustomization.yaml").read_text())["resources"]
    assert sorted(listed) == sorted(p.name for p in MANIFESTS)


def test_the_deployment_probes_and_the_service_point_at_what_the_app_serves():
    from guide.ui.server import create_app  # noqa: F401 - the module that defines the routes below

    kinds = _by_kind()
    assert set(kinds) == {"Deployment", "Service", "Ingress", "Job", "PodDisruptionBudget", "CronJob"}
    deployment = kinds["Deployment"]
    assert deployment["spec"]["replicas"] >= 2
    pod = deployment["spec"]["template"]["spec"]
    (container,) = pod["containers"]
    assert container["ports"] == [{"name": "http", "containerPort": 8501}]
    assert container["readinessProbe"]["httpGet"]["path"] == "/readyz"
    assert container["livenessProbe"]["httpGet"]["path"] == "/healthz"
    env = {e["name"]: e for e in container["env"]}
    assert env["GUIDE_DATABASE_URL"]["valueFrom"]["secretKeyRef"]  # the password lives in a Secret
    assert env["GUIDE_MIGRATE"]["value"] == "0"  # the Job migrates; replicas wait until the schema is current
    assert "GUIDE_TRUSTED_PROXIES" in env
    assert pod["securityContext"]["runAsNonRoot"] is True
    job = kinds["Job"]["spec"]["template"]["spec"]["containers"][0]
    assert job["command"] == ["python", "-m", "guide", "db", "upgrade"]
    purge = kinds["CronJob"]["spec"]["jobTemplate"]["spec"]["template"]["spec"]["containers"][0]
    assert purge["command"] == ["python", "-m", "guide", "db", "purge"]  # replicas with GUIDE_MIGRATE=0 do not
    selector = kinds["Service"]["spec"]["selector"]
    labels = deployment["spec"]["template"]["metadata"]["labels"]
    assert selector.items() <= labels.items()
    assert kinds["PodDisruptionBudget"]["spec"]["selector"]["matchLabels"].items() <= labels.items()


def _upload_limit_mb() -> int:
    import tomllib

    return tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())["server"]["maxUploadSize"]


def test_the_ingress_keeps_a_browser_on_its_replica_by_cookie_with_long_websocket_timeouts():
    notes = _by_kind()["Ingress"]["metadata"]["annotations"]
    prefix = "nginx.ingress.kubernetes.io/"
    assert notes[prefix + "affinity"] == "cookie"  # not by address: a school shares one
    assert int(notes[prefix + "proxy-read-timeout"]) >= 3600
    assert int(notes[prefix + "proxy-send-timeout"]) >= 3600
    assert int(notes[prefix + "proxy-body-size"].rstrip("m")) > _upload_limit_mb()  # a photo upload gets through


def test_nginx_lets_through_the_uploads_the_app_accepts():
    site = (DEPLOY / "nginx" / "guide.conf").read_text()
    size = int(re.search(r"client_max_body_size (\d+)m;", site).group(1))
    assert size > _upload_limit_mb()


def test_the_compose_file_migrates_once_before_two_replicas_behind_nginx():
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    services = compose["services"]
    assert {"postgres", "migrate", "app-1", "app-2", "nginx"} <= set(services)
    assert services["migrate"]["command"] == ["python", "-m", "guide", "db", "upgrade"]
    for name in ("app-1", "app-2"):
        app = services[name]
        assert app["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
        assert app["environment"]["GUIDE_MIGRATE"] == "0"
        proxy = services["nginx"]["networks"]["guide"]["ipv4_address"]
        assert app["environment"]["GUIDE_TRUSTED_PROXIES"] == proxy  # only nginx's X-Forwarded-For counts
        assert services["nginx"]["depends_on"][name]["condition"] == "service_healthy"
    assert "./nginx/guide.conf:/etc/nginx/conf.d/default.conf:ro" in services["nginx"]["volumes"]
    docker = shutil.which("docker")
    if docker and subprocess.run([docker, "compose", "version"], capture_output=True).returncode == 0:
        done = subprocess.run([docker, "compose", "-f", str(DEPLOY / "compose.yaml"), "config", "--quiet"],
                              capture_output=True, text=True, env={"GUIDE_DB_PASSWORD": "x", "PATH": "/usr/bin:/bin"})
        assert done.returncode == 0, done.stderr


def test_the_dockerfile_is_slim_runs_as_a_user_and_checks_readiness():
    text = (DEPLOY / "Dockerfile").read_text()
    assert re.search(r"^FROM python:3\.11-slim", text, re.M)
    user = re.findall(r"^USER (\S+)", text, re.M)
    assert user and user[-1] not in {"root", "0"}
    assert re.search(r"^HEALTHCHECK .*\n?.*/readyz", text, re.M)
    assert '["python", "-m", "guide", "serve"]' in text  # exec form: SIGTERM reaches the server
    for source in re.findall(r"^COPY (?!--from)(.+) \S+$", text, re.M):
        for item in source.split():
            assert (ROOT / item).exists(), f"Dockerfile copies {item}, which does not exist"
    ignored = (ROOT / ".dockerignore").read_text().split()
    assert ".venv" in ignored and ".git" in ignored


def nginx_config(tmp: Path, upstreams: list[str], listen: str) -> Path:
    """The shipped deploy/nginx/guide.conf with the replicas' and the listener's addresses replaced, in a
    complete nginx.conf that runs unprivileged from `tmp` (used by the topology test too)."""
    site = (DEPLOY / "nginx" / "guide.conf").read_text()
    for name, address in zip(("app-1:8501", "app-2:8501"), upstreams, strict=True):
        assert name in site
        site = site.replace(f"server {name} ", f"server {address} ")
    site = site.replace("listen 8080;", f"listen {listen};")
    for sub in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (tmp / sub).mkdir(parents=True, exist_ok=True)
    conf = tmp / "nginx.conf"
    conf.write_text(f"""
daemon off;
worker_processes 1;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log info;
events {{ worker_connections 1024; }}
http {{
    access_log {tmp}/access.log;
    client_body_temp_path {tmp}/client_body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
{site}
}}
""")
    return conf


def nginx_binary() -> str:
    found = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
    if not found:
        pytest.fail("nginx is not installed: apt-get install nginx (.ci/run does this)")
    return found


def test_nginx_accepts_the_shipped_proxy_config(tmp_path):
    conf = nginx_config(tmp_path, ["127.0.0.1:1", "127.0.0.1:2"], "127.0.0.1:3")
    done = subprocess.run([nginx_binary(), "-t", "-c", str(conf), "-p", str(tmp_path), "-e", str(tmp_path / "e.log")],
                          capture_output=True, text=True, timeout=30)
    assert done.returncode == 0, done.stderr
    assert "syntax is ok" in done.stderr
