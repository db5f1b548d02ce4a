"""A real S3-protocol server on loopback (moto in server mode) and a TCP proxy that can
drop the connection mid-transfer, for the object-storage tests."""

from __future__ import annotations

import json
import socket
import threading
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

#: Full access, for the set-up and the runs that should read everything.
_ADMIN = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}],
}


def _reader_policy(bucket: str, readable: str) -> dict[str, Any]:
    """May list ``bucket`` and read the objects under ``readable`` only."""
    return {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": f"arn:aws:s3:::{bucket}"},
            {
                "Effect": "Allow",
                "Action": "s3:GetObject",
                "Resource": f"arn:aws:s3:::{bucket}/{readable}*",
            },
        ],
    }


@dataclass
class S3Server:
    """moto's S3 server with IAM enforced: ``admin`` may do anything, ``reader`` may list
    the bucket and read only ``mixed/public*``."""

    endpoint: str
    admin: tuple[str, str]
    reader: tuple[str, str]
    bucket: str = "dumps"

    def env(
        self, keys: tuple[str, str] | None = None, endpoint: str | None = None
    ) -> dict[str, str]:
        key, secret = keys or self.admin
        return {
            "AWS_ACCESS_KEY_ID": key,
            "AWS_SECRET_ACCESS_KEY": secret,
            "AWS_DEFAULT_REGION": "us-east-1",
            "AWS_ENDPOINT_URL": endpoint or self.endpoint,
            # A dropped connection fails fast instead of being retried for minutes.
            "AWS_MAX_ATTEMPTS": "1",
            "AWS_RETRY_MODE": "standard",
        }

    def client(self) -> Any:
        import boto3

        key, secret = self.admin
        return boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            aws_access_key_id=key,
            aws_secret_access_key=secret,
            region_name="us-east-1",
        )

    def upload(self, folder: Path, prefix: str) -> str:
        """Every file under ``folder`` to ``s3://bucket/prefix/...``; the prefix URL."""
        client = self.client()
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                key = f"{prefix}/{path.relative_to(folder).as_posix()}"
                client.put_object(Bucket=self.bucket, Key=key, Body=path.read_bytes())
        return f"s3://{self.bucket}/{prefix}"


@contextmanager
def s3_server() -> Iterator[S3Server]:
    """Start moto's server on a free loopback port, make the users and the bucket, then
    turn IAM enforcement on (requests with unknown or unauthorized keys get a 403)."""
    import boto3
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    try:
        iam = boto3.client(
            "iam",
            endpoint_url=endpoint,
            aws_access_key_id="setup",
            aws_secret_access_key="setup",
            region_name="us-east-1",
        )
        keys = {}
        for user, policy in (
            ("admin", _ADMIN),
            ("reader", _reader_policy("dumps", "mixed/public")),
        ):
            iam.create_user(UserName=user)
            iam.put_user_policy(UserName=user, PolicyName="p", PolicyDocument=json.dumps(policy))
            made = iam.create_access_key(UserName=user)["AccessKey"]
            keys[user] = (made["AccessKeyId"], made["SecretAccessKey"])
        store = S3Server(endpoint, keys["admin"], keys["reader"])
        boto3.client(
            "s3",
            endpoint_url=endpoint,
            aws_access_key_id="setup",
            aws_secret_access_key="setup",
            region_name="us-east-1",
        ).create_bucket(Bucket="dumps")
        # From now on every request is authenticated and authorized against IAM.
        urllib.request.urlopen(
            urllib.request.Request(
                f"{endpoint}/moto-api/reset-auth",
                data=b"0",
                method="POST",
                headers={"Content-Type": "text/plain"},
            )
        ).read()
        yield store
    finally:
        server.stop()


class DroppingProxy:
    """A loopback TCP proxy to ``upstream``; once ``limit`` bytes have gone back to the
    clients it closes every connection and stops listening, as a network that fails."""

    def __init__(self, upstream: str, limit: int | None = None) -> None:
        host, port = upstream.removeprefix("http://").split(":")
        self.upstream = (host, int(port))
        self.limit = limit
        self.sent = 0
        self.dropped = threading.Event()
        self._lock = threading.Lock()
        self._sockets: list[socket.socket] = []
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.endpoint = f"http://127.0.0.1:{self._listener.getsockname()[1]}"
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        while not self.dropped.is_set():
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            server = socket.create_connection(self.upstream)
            with self._lock:
                self._sockets += [client, server]
            threading.Thread(target=self._pipe, args=(client, server, False), daemon=True).start()
            threading.Thread(target=self._pipe, args=(server, client, True), daemon=True).start()

    def _pipe(self, source: socket.socket, sink: socket.socket, counted: bool) -> None:
        try:
            while data := source.recv(16384):
                if counted and self.limit is not None:
                    with self._lock:
                        room = self.limit - self.sent
                        self.sent += len(data)
                    if room <= len(data):
                        sink.sendall(data[: max(room, 0)])
                        self.drop()
                        return
                elif counted:
                    with self._lock:
                        self.sent += len(data)
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for end in (source, sink):
                with suppress(OSError):
                    end.shutdown(socket.SHUT_RDWR)

    def drop(self) -> None:
        """Close the listener and every connection: the peer sees a reset, then refusals."""
        self.dropped.set()
        self._listener.close()
        with self._lock:
            for sock in self._sockets:
                with suppress(OSError):
                    sock.close()
