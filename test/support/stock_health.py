"""A stock gRPC health client: Python's grpcio (C core), knowing nothing of Entente but the
standard grpc.health.v1 wire format, which it encodes by hand.

usage: stock_health.py <target> [service] [--ca ca.pem --cert client.pem --key client.key.pem]
prints SERVING, NOT_SERVING, UNKNOWN or SERVICE_UNKNOWN; exits 2 on an RPC error.
"""
import argparse
import sys

import grpc

parser = argparse.ArgumentParser()
parser.add_argument("target")
parser.add_argument("service", nargs="?", default="")
parser.add_argument("--ca")
parser.add_argument("--cert")
parser.add_argument("--key")
args = parser.parse_args()

if args.ca:
    read = lambda path: open(path, "rb").read()
    creds = grpc.ssl_channel_credentials(read(args.ca), read(args.key), read(args.cert))
    channel = grpc.secure_channel(args.target, creds, options=[("grpc.ssl_target_name_override", "localhost")])
else:
    channel = grpc.insecure_channel(args.target)

# HealthCheckRequest { string service = 1; }
name = args.service.encode()
request = (b"\x0a" + bytes([len(name)]) + name) if name else b""
check = channel.unary_unary("/grpc.health.v1.Health/Check", request_serializer=lambda b: b, response_deserializer=lambda b: b)
try:
    response = check(request, timeout=10)
except grpc.RpcError as err:
    print(f"{err.code().name}: {err.details()}", file=sys.stderr)
    sys.exit(2)
# HealthCheckResponse { ServingStatus status = 1; } with 0 UNKNOWN, 1 SERVING, 2 NOT_SERVING, 3 SERVICE_UNKNOWN
status = response[1] if len(response) >= 2 and response[0] == 0x08 else 0
print(["UNKNOWN", "SERVING", "NOT_SERVING", "SERVICE_UNKNOWN"][status])
