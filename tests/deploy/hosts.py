"""Several app hosts on this one machine: network namespaces, veth links and HAProxy.

Each app host is a network namespace of its own (``ip netns``) joined to the machine by a
veth pair, with its own address and no view of the machine's loopback: what it reaches, it
reaches over the link, as a real host would. HAProxy, on the machine, balances citizens'
requests over the hosts (round robin, so consecutive requests of one citizen land on
different hosts) and forwards each host's PostgreSQL connections to the machine's server.
The addresses are the project's own test hosts, made and removed by the test; nothing
leaves the machine.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx

#: The project's own test subnet; each run takes one /24 by its process id.
NET = "10.254"
APP_PORT = 8000
PG_PORT = 5432


def available() -> str | None:
    """Why several hosts cannot be built here, or None when they can."""
    if os.geteuid() != 0:
        return "network namespaces need root"
    for tool in ("ip", "haproxy"):
        if shutil.which(tool) is None:
            return f"{tool} is not installed (.ci/run installs it)"
    return None


def _ip(*args: str) -> None:
    subprocess.run(["ip", *args], check=True, capture_output=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Host:
    """One app host: its namespace, its address, the machine's end of its link."""

    name: str
    address: str
    gateway: str
    process: subprocess.Popen[bytes] | None = None
    log: Path | None = None

    @property
    def url(self) -> str:
        return f"http://{self.address}:{APP_PORT}"

    def kill(self) -> None:
        """The host dies: its server is killed without a chance to finish anything."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)


@dataclass
class Cluster:
    """The app hosts behind one load balancer; ``url`` is what citizens reach."""

    hosts: list[Host]
    url: str
    balancer: subprocess.Popen[bytes] | None = None
    _cleanup: list[list[str]] = field(default_factory=list)

    def pg_url_for(self, host: Host, pg_url: str) -> str:
        """``pg_url`` (on 127.0.0.1) as the host reaches it: through its gateway."""
        return pg_url.replace("127.0.0.1:5432", f"{host.gateway}:{PG_PORT}", 1)


def _haproxy_config(hosts: list[Host], port: int, databases: bool = True) -> str:
    """HAProxy's configuration: citizens balanced over ``hosts`` on ``port`` and, with
    ``databases``, each host's PostgreSQL connections forwarded to the machine's server."""
    servers = "\n".join(
        f"  server {h.name} {h.address}:{APP_PORT} check inter 300 fall 2 rise 2"
        for h in hosts
    )
    pg = "\n".join(
        f"listen pg-{h.name}\n  mode tcp\n  bind {h.gateway}:{PG_PORT}\n"
        f"  server pg 127.0.0.1:{PG_PORT}\n"
        for h in hosts
    ) if databases else ""
    return f"""global
  maxconn 4096

defaults
  mode http
  timeout connect 2s
  timeout client 60s
  timeout server 60s
  # A request that could not be sent to a dead host is sent to another one.
  retries 3
  option redispatch

frontend citizens
  bind 127.0.0.1:{port}
  default_backend apps

backend apps
  balance roundrobin
  option httpchk GET /
{servers}

{pg}"""


def balancer(hosts: list[Host], workdir: Path, name: str) -> tuple[subprocess.Popen[bytes], str]:
    """Another load balancer over some of the ``hosts`` (citizens' requests only; the
    cluster's own balancer forwards the databases): its process and its URL."""
    port = free_port()
    config = workdir / f"haproxy-{name}.cfg"
    config.write_text(_haproxy_config(hosts, port, databases=False), encoding="utf-8")
    process = subprocess.Popen(
        ["haproxy", "-db", "-f", str(config)],
        stdout=subprocess.DEVNULL, stderr=open(workdir / f"haproxy-{name}.log", "wb"),  # noqa: SIM115
    )
    return process, f"http://127.0.0.1:{port}"


@contextmanager
def cluster(count: int, workdir: Path) -> Iterator[Cluster]:
    """``count`` empty app hosts and the balancer in front of them; all removed after."""
    tag = os.getpid() % 200 + 20
    hosts: list[Host] = []
    made: list[tuple[str, str]] = []
    balancer = None
    try:
        for i in range(count):
            ns, outer, inner = f"pc{tag}h{i}", f"pc{tag}o{i}", f"pc{tag}i{i}"
            gateway, address = f"{NET}.{tag}.{4 * i + 1}", f"{NET}.{tag}.{4 * i + 2}"
            _ip("netns", "add", ns)
            made.append((ns, outer))
            _ip("link", "add", outer, "type", "veth", "peer", "name", inner)
            _ip("link", "set", inner, "netns", ns)
            _ip("addr", "add", f"{gateway}/30", "dev", outer)
            _ip("link", "set", outer, "up")
            _ip("-n", ns, "addr", "add", f"{address}/30", "dev", inner)
            _ip("-n", ns, "link", "set", inner, "up")
            _ip("-n", ns, "link", "set", "lo", "up")
            _ip("-n", ns, "route", "add", "default", "via", gateway)
            hosts.append(Host(ns, address, gateway))
        port = free_port()
        config = workdir / "haproxy.cfg"
        config.write_text(_haproxy_config(hosts, port), encoding="utf-8")
        balancer = subprocess.Popen(
            ["haproxy", "-db", "-f", str(config)],
            stdout=subprocess.DEVNULL, stderr=open(workdir / "haproxy.log", "wb"),  # noqa: SIM115
        )
        yield Cluster(hosts, f"http://127.0.0.1:{port}", balancer)
    finally:
        for host in hosts:
            host.kill()
        if balancer is not None:
            balancer.terminate()
            balancer.wait(timeout=10)
        for ns, outer in made:
            subprocess.run(["ip", "link", "del", outer], capture_output=True)
            subprocess.run(["ip", "netns", "del", ns], capture_output=True)


def start_app(host: Host, journeys: Path, db_url: str, workdir: Path,
              settings: dict[str, str] | None = None) -> None:
    """``parcours serve`` on ``host``, listening on its own address (``settings``: more
    ``PARCOURS_*`` variables)."""
    host.log = workdir / f"{host.name}.log"
    command = [
        "ip", "netns", "exec", host.name,
        sys.executable, "-m", "designer.cli", "serve", str(journeys),
        "--host", "0.0.0.0", "--port", str(APP_PORT), "--db", db_url,
    ]
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2]),
           **(settings or {})}
    host.process = subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL,
        stderr=open(host.log, "wb"),  # noqa: SIM115
    )


def wait_ready(cluster: Cluster, seconds: float = 60) -> None:
    """Until every host answers on its own address (or fail with the hosts' logs), then
    until the balancer has seen them all up."""
    deadline = time.monotonic() + seconds
    for host in cluster.hosts:
        while True:
            if host.process is not None and host.process.poll() is not None:
                raise AssertionError(host.log.read_text() if host.log else "host died")
            try:
                # The machine reaches each host over its link, as the balancer does.
                if httpx.get(host.url + "/", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                logs = "\n".join(h.log.read_text() for h in cluster.hosts if h.log)
                raise AssertionError(f"the hosts did not start:\n{logs}")
            time.sleep(0.2)
    # The balancer marks a host up after two good checks 300 ms apart.
    time.sleep(1.0)
