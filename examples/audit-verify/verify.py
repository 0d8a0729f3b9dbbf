#!/usr/bin/env python3
"""Verify an Entente audit bundle offline, from docs/audit.md and docs/protocol.md alone.

usage: verify.py <bundle.json>

Prints one line per problem (naming the task, checkpoint or partner) and a summary.
Exit status: 0 everything verifies, 1 a problem was found, 2 usage error.
Needs only the standard library, jwcrypto and cryptography (Debian: python3-jwcrypto,
python3-cryptography).
"""
import base64
import hashlib
import json
import re
import struct
import sys
from datetime import datetime, timezone

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from jwcrypto import jwk, jws

FORMAT = "entente.audit-bundle/v1"
problems = []


def problem(where, what):
    problems.append(f"{where}: {what}")


class Bad(Exception):
    """A malformed part of the bundle: reported, and that part is not checked further."""


def b64std(text, length=None):
    try:
        raw = base64.b64decode(text, validate=True)
    except (ValueError, TypeError):
        raw = None
    if raw is None or base64.b64encode(raw).decode() != text:
        raise Bad(f"not canonical standard base64: {text!r:.40}")
    if length is not None and len(raw) != length:
        raise Bad(f"{len(raw)} bytes where {length} were expected")
    return raw


def b64url(text):
    """Canonical unpadded base64url (protocol.md §5.1): re-encoding gives back the same text."""
    if not re.fullmatch(r"[A-Za-z0-9_-]*", text) or len(text) % 4 == 1:
        raise Bad("not canonical base64url")
    raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    if base64.urlsafe_b64encode(raw).rstrip(b"=").decode() != text:
        raise Bad("not canonical base64url")
    return raw


def statement_digest(compact):
    """protocol.md §6.3: sha256: + base64url-unpadded(SHA-256(compact JWS text))."""
    return "sha256:" + base64.urlsafe_b64encode(hashlib.sha256(compact.encode("ascii")).digest()).rstrip(b"=").decode()


# ---- Merkle tree (RFC 9162 §2.1) ---------------------------------------------------------

def node(left, right):
    return hashlib.sha256(b"\x01" + left + right).digest()


def verify_inclusion(index, size, leaf, path, root):
    """RFC 9162 §2.1.3.2."""
    if index >= size:
        return False
    fn, sn, r = index, size - 1, leaf
    for p in path:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node(p, r)
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            r = node(r, p)
        fn, sn = fn >> 1, sn >> 1
    return sn == 0 and r == root


def verify_consistency(first, second, first_root, second_root, path):
    """RFC 9162 §2.1.4.2, with the two cases it leaves out: equal sizes and the empty tree."""
    if first > second:
        return False
    if first == second:
        return not path and first_root == second_root
    if first == 0:
        return not path
    if not path:
        return False
    if first & (first - 1) == 0:  # an exact power of two: the first tree is a subtree
        path = [first_root] + path
    fn, sn = first - 1, second - 1
    while fn & 1:
        fn, sn = fn >> 1, sn >> 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr, sr = node(c, fr), node(c, sr)
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            sr = node(sr, c)
        fn, sn = fn >> 1, sn >> 1
    return fr == first_root and sr == second_root and sn == 0


# ---- Signed notes, checkpoints, cosignatures (C2SP) --------------------------------------

def key_id(name, sig_type, public):
    return hashlib.sha256(name.encode() + b"\n" + bytes([sig_type]) + public).digest()[:4]


def parse_vkey(vkey):
    """C2SP signed-note verifier key: <name>+<hex key ID>+<base64(0x01 || Ed25519 key)>."""
    parts = vkey.split("+", 2)
    if len(parts) != 3 or not re.fullmatch(r"[0-9a-f]{8}", parts[1]):
        raise Bad(f"not a vkey: {vkey!r:.60}")
    raw = b64std(parts[2], 33)
    if raw[0] != 0x01:
        raise Bad(f"vkey {parts[0]} is not an Ed25519 (0x01) key")
    if key_id(parts[0], 0x01, raw[1:]).hex() != parts[1]:
        raise Bad(f"vkey {parts[0]}: key ID {parts[1]} does not match the key")
    return parts[0], raw[1:]


def parse_note(note):
    """Split a signed note into its text and (name, key ID, signature) lines."""
    if not isinstance(note, str) or re.search(r"[\x00-\x09\x0b-\x1f]", note):
        raise Bad("not a signed note")
    cut = note.rfind("\n\n")
    if cut < 0 or not note.endswith("\n"):
        raise Bad("not a signed note (no signature block)")
    text, sigs = note[: cut + 1], []
    for line in note[cut + 2 : -1].split("\n"):
        m = re.fullmatch(r"\u2014 (\S+) (\S+)", line)
        if not m:
            raise Bad(f"bad signature line {line!r:.60}")
        raw = b64std(m.group(2))
        if len(raw) < 5:
            raise Bad("signature too short")
        sigs.append((m.group(1), raw[:4], raw[4:]))
    return text, sigs


def parse_checkpoint(text):
    lines = text.split("\n")[:-1]
    if len(lines) < 3 or not re.fullmatch(r"0|[1-9][0-9]*", lines[1]):
        raise Bad("not a checkpoint")
    return lines[0], int(lines[1]), b64std(lines[2], 32)


def ed25519_ok(public, signature, message):
    try:
        Ed25519PublicKey.from_public_bytes(public).verify(signature, message)
        return True
    except InvalidSignature:
        return False


def open_checkpoint(where, note, log_keys, cosigners):
    """Checks the log's signature (one of log_keys, a list of (name, public)) and every
    cosignature from a known cosigner (org -> [(name, public)]). Returns (origin, size,
    root, text, orgs whose cosignature verified)."""
    text, sigs = parse_note(note)
    origin, size, root = parse_checkpoint(text)
    signed = False
    for name, kid, sig in sigs:
        for lname, public in log_keys:
            if name == lname and kid == key_id(lname, 0x01, public):
                if ed25519_ok(public, sig, text.encode()):
                    signed = True
                else:
                    problem(where, f"the signature of {name} does not verify")
    if not signed:
        raise Bad(f"not signed by a log key of {log_keys[0][0] if log_keys else '?'}")
    cosigned = set()
    for name, kid, sig in sigs:
        for org, keys in cosigners.items():
            for cname, public in keys:
                if name == cname and kid == key_id(cname, 0x04, public):
                    if len(sig) != 72:
                        problem(where, f"cosignature of {org} is not 8 + 64 bytes")
                        continue
                    (t,) = struct.unpack(">Q", sig[:8])
                    message = f"cosignature/v1\ntime {t}\n".encode() + text.encode()
                    if ed25519_ok(public, sig[8:], message):
                        cosigned.add(org)
                    else:
                        problem(where, f"cosignature of {org} (time {t}) does not verify")
    return origin, size, root, text, cosigned


# ---- Statements (protocol.md §5) ---------------------------------------------------------

def jcs(value):
    """RFC 8785 for the values statements hold (strings, integers, null, objects)."""
    if isinstance(value, dict):
        items = sorted(value.items(), key=lambda kv: kv[0].encode("utf-16-be"))
        return "{" + ",".join(jcs(k) + ":" + jcs(v) for k, v in items) + "}"
    if isinstance(value, list):
        return "[" + ",".join(jcs(v) for v in value) + "]"
    if isinstance(value, bool) or value is None or isinstance(value, int):
        return json.dumps(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    raise Bad(f"no canonical form for {value!r}")


def strict_object(pairs):
    keys = [k for k, _ in pairs]
    if len(set(keys)) != len(keys):
        raise Bad("duplicate member")
    return dict(pairs)


def no_fraction(text):
    raise Bad(f"number {text} is not an integer")


TASK_ID = r"[A-Za-z0-9][A-Za-z0-9._:-]{0,127}"
DIGEST = r"sha256:[A-Za-z0-9_-]{43}"
ORG = r".+"


def text(most):
    """A string of 1..most characters, counted in UTF-16 code units (protocol.md §5.5)."""
    return lambda v: isinstance(v, str) and 1 <= len(v.encode("utf-16-le", "surrogatepass")) // 2 <= most


def decision(v):
    return isinstance(v, dict) and set(v) == {"decision_id", "policy_revision"} and all(map(text(256), v.values()))


def integer(v):
    return isinstance(v, int) and not isinstance(v, bool) and 0 <= v <= 2**53 - 1


# kind -> member -> (required, check)
SHAPES = {
    "request": {"v": (1, lambda v: v == 1 and integer(v)), "kind": (1, "request"), "task_id": (1, TASK_ID),
                "from": (1, ORG), "to": (1, ORG), "capability": (1, text(128)), "purpose": (1, text(128)),
                "input_digest": (1, DIGEST), "iat": (1, integer), "exp": (1, integer), "outbound": (1, decision),
                "parent": (0, lambda v: isinstance(v, dict) and set(v) == {"org", "task_id"}
                           and all(isinstance(x, str) for x in v.values()))},
    "result": {"v": (1, lambda v: v == 1 and integer(v)), "kind": (1, "result"), "task_id": (1, TASK_ID),
               "from": (1, ORG), "to": (1, ORG), "request_digest": (1, DIGEST),
               "status": (1, r"completed|failed|denied|cancelled"), "result_digest": (0, DIGEST),
               "reason": (0, r"[a-z][a-z0-9_]{0,63}"), "inbound": (1, lambda v: v is None or decision(v)),
               "disclosure": (1, lambda v: v is None or decision(v)), "iat": (1, integer)},
    "ack": {"v": (1, lambda v: v == 1 and integer(v)), "kind": (1, "ack"), "task_id": (1, TASK_ID),
            "from": (1, ORG), "to": (1, ORG), "result_statement_digest": (1, DIGEST), "iat": (1, integer)},
}


# A workflow run's statements (protocol.md §5.5a): common members, then those of its event.
RUN_COMMON = {"v": (1, lambda v: v == 1 and integer(v)), "kind": (1, "run"), "run_id": (1, TASK_ID),
              "from": (1, ORG), "seq": (1, integer), "iat": (1, integer),
              "event": (1, r"started|step_started|step_ended|approval_decided|finished")}
STEP = text(300)
RUN_EVENTS = {
    "started": {"workflow": (1, text(128)), "definition_digest": (1, DIGEST),
                "parent": (0, lambda v: isinstance(v, dict) and set(v) == {"org", "task_id"})},
    "step_started": {"step": (1, STEP), "attempt": (1, integer), "provider": (1, r"local|[a-z0-9][a-z0-9-]{0,62}"),
                     "task_id": (1, TASK_ID), "compensation": (0, lambda v: v is True)},
    "step_ended": {"step": (1, STEP), "status": (1, r"completed|failed|skipped|cancelled|compensated|compensation_failed"),
                   "reason": (0, text(64))},
    "approval_decided": {"step": (1, STEP), "decision": (1, r"approve|reject|retry|skip|fail"), "by": (1, text(256))},
    "finished": {"status": (1, r"completed|failed|cancelled"), "reason": (0, text(64))},
}


def check_shape(kind, payload):
    shape = SHAPES[kind] if kind != "run" else {**RUN_COMMON, **RUN_EVENTS.get(payload.get("event"), {})}
    extra = set(payload) - set(shape)
    if extra:
        raise Bad(f"unexpected members {sorted(extra)}")
    for name, (required, check) in shape.items():
        if name not in payload:
            if required:
                raise Bad(f"member {name} is missing")
            continue
        v = payload[name]
        ok = check(v) if callable(check) else isinstance(v, str) and re.fullmatch(check, v, re.S)
        if not ok:
            raise Bad(f"member {name} is not valid: {v!r:.60}")
    if kind == "request" and payload["exp"] < payload["iat"]:
        raise Bad("exp is before iat")
    if kind == "result" and ("result_digest" in payload) != (payload["status"] == "completed"):
        raise Bad("result_digest must be present exactly when the status is completed")


def parse_time(text):
    return None if text is None else datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


def verify_jws(compact, key, alg, named):
    """A single-form signature (protocol.md §5.7 check 7), by jwcrypto."""
    parts = compact.split(".")
    if len(parts) != 3 or len(b64url(parts[2])) != 64:
        raise Bad("the signature is not 64 bytes")
    b64url(parts[0]), b64url(parts[1])
    # jwcrypto signs over the parts it re-encodes; all three are canonical, so that is the text.
    token = jws.JWS()
    try:
        token.deserialize(compact)
        token.verify(jwk.JWK(**key), alg=alg)
    except jws.InvalidJWSSignature:
        raise Bad(f"the signature does not verify with {named}")
    except Exception as e:  # a key or token jwcrypto cannot use
        raise Bad(f"jwcrypto refused it with {named}: {e}")


# Batch JWSs verified so far, each with the signer and the exact key it verified under: a
# batch is checked once, and never stands in for another organization's or another key's.
verified_batches = set()


def verify_batched(parts, key, alg, kid, signer):
    """protocol.md §5.9: the batch JWS by the same key, then the statement's path to its root."""
    batch = ".".join(parts[3:])
    cached = (signer, kid, json.dumps(key, sort_keys=True), batch)
    if cached not in verified_batches:
        try:
            batch_header = json.loads(b64url(parts[3]).decode("utf-8"))
            batch_payload = json.loads(b64url(parts[4]).decode("utf-8"), object_pairs_hook=strict_object)
        except ValueError:
            raise Bad("the batch header or payload is not JSON")
        if not isinstance(batch_header, dict) or "crit" in batch_header or batch_header.get("kid") != kid or batch_header.get("alg") != alg:
            raise Bad(f"the batch is not signed with the statement's key {kid} of {signer}")
        if batch_header.get("typ") != "entente-batch+jws":
            raise Bad("the batch JWS is not of typ entente-batch+jws")
        verify_jws(batch, key, alg, f"key {kid} of {signer} (batch)")
        if (not isinstance(batch_payload, dict) or sorted(batch_payload) != ["root", "size"]
                or jcs(batch_payload).encode("utf-8") != b64url(parts[4])):
            raise Bad("the batch payload is not exactly {root, size} in canonical form")
        size = batch_payload["size"]
        if type(size) is not int or not 2 <= size <= 65536 or not isinstance(batch_payload["root"], str) or len(b64url(batch_payload["root"])) != 32:
            raise Bad("the batch payload's root is not 32 bytes or its size is not 2..65536")
        verified_batches.add(cached)
    batch_payload = json.loads(b64url(parts[4]).decode("utf-8"))
    proof = b64url(parts[2])
    if len(proof) < 4 or (len(proof) - 4) % 32:
        raise Bad("the batch proof is not a 4-byte index and 32-byte hashes")
    (index,) = struct.unpack(">I", proof[:4])
    path = [proof[i:i + 32] for i in range(4, len(proof), 32)]
    leaf = hashlib.sha256(b"\x00" + f"{parts[0]}.{parts[1]}".encode("ascii")).digest()
    if not verify_inclusion(index, batch_payload["size"], leaf, path, b64url(batch_payload["root"])):
        raise Bad(f"the statement is not in the batch signed with key {kid} of {signer}")


def verify_statement(compact, kind, signer, receipt_keys):
    """protocol.md §5.7 checks 1-13. receipt_keys: org -> [(jwk dict, valid_from, valid_until)].
    Returns the payload, and what is wrong with the key's validity at its iat (audit.md §4)."""
    parts = compact.split(".") if isinstance(compact, str) else []
    if len(parts) not in (3, 6) or not parts[0]:
        raise Bad("not a compact JWS (nor a batched statement, protocol.md §5.9)")
    try:
        header = json.loads(b64url(parts[0]).decode("utf-8"))
    except ValueError:
        raise Bad("the header is not JSON")
    if not isinstance(header, dict):
        raise Bad("the header is not a JSON object")
    alg = header.get("alg")
    if alg not in ("ES256", "EdDSA"):
        raise Bad(f"alg {alg!r} is not ES256 or EdDSA")
    kid = header.get("kid")
    if "crit" in header or not isinstance(kid, str) or not kid:
        raise Bad("the header has crit or no kid")
    mine = [k for k in receipt_keys.get(signer, []) if k[0].get("kid") == kid]
    if not mine:
        others = [o for o, keys in receipt_keys.items() if any(k[0].get("kid") == kid for k in keys)]
        raise Bad(f"signed with key {kid} of {others[0]}, not of {signer}" if others else f"signed with key {kid}, unknown for {signer}")
    key, valid_from, valid_until = mine[0]
    key_alg = {("EC", "P-256"): "ES256", ("OKP", "Ed25519"): "EdDSA"}.get((key.get("kty"), key.get("crv")))
    if key_alg is None or key.get("alg", key_alg) != key_alg or key.get("use", "sig") != "sig":
        raise Bad(f"key {kid} of {signer} is not a P-256 (ES256) or Ed25519 (EdDSA) signing key")
    if alg != key_alg:
        raise Bad(f"alg {alg} is not the algorithm of key {kid} ({key_alg})")
    if len(parts) == 3:
        verify_jws(compact, key, alg, f"key {kid} of {signer}")
    else:
        verify_batched(parts, key, alg, kid, signer)
    raw = b64url(parts[1])
    try:
        payload = json.loads(raw.decode("utf-8"), object_pairs_hook=strict_object, parse_float=no_fraction,
                             parse_constant=no_fraction)
        canonical = jcs(payload).encode("utf-8") == raw
    except ValueError:  # not UTF-8, not JSON, or a lone surrogate
        raise Bad("the payload is not JSON")
    if not isinstance(payload, dict) or not canonical:
        raise Bad("the payload is not canonical JSON (RFC 8785)")
    typ = header.get("typ")
    if typ != f"entente-{kind}+jws" or payload.get("kind") != kind:
        raise Bad(f"a {payload.get('kind')!r} statement of typ {typ!r} where a {kind} was expected")
    check_shape(kind, payload)
    if payload["from"] != signer:
        raise Bad(f"from is {payload['from']}, not the signer {signer}")
    iat, since, until = payload["iat"], parse_time(valid_from), parse_time(valid_until)
    if (since is not None and iat < since) or (until is not None and iat > until):
        when = datetime.fromtimestamp(iat, timezone.utc).isoformat().replace("+00:00", "Z")
        return payload, (f"signed at {when} with key {kid} of {signer}, valid from "
                         f"{valid_from or 'the start'} until {valid_until or 'now'}")
    return payload, None


# ---- The bundle (audit.md §5) ------------------------------------------------------------

def verify_bundle(bundle):
    if not isinstance(bundle, dict) or bundle.get("format") != FORMAT:
        raise Bad(f"format is not {FORMAT}")
    org = bundle.get("org")
    keys = bundle.get("keys") or {}
    if org not in keys:
        raise Bad(f"the keys of the exporter {org} are missing")
    log_keys = {o: [parse_vkey(k["vkey"]) for k in ks.get("log", [])] for o, ks in keys.items()}
    receipt_keys = {o: [(k["jwk"], k.get("valid_from"), k.get("valid_until")) for k in ks.get("receipt", [])]
                    for o, ks in keys.items()}
    partners = {o: ks for o, ks in log_keys.items() if o != org}
    log = bundle["log"]
    origin = f"entente/{org}"
    if log.get("origin") != origin:
        problem("log", f"origin is {log.get('origin')!r}, not {origin}")

    # 2. The head, signed by the exporter's log key; partners' cosignatures verify.
    try:
        head_origin, size, root, _, head_cosigned = open_checkpoint("head", log["head"], log_keys[org], partners)
    except Bad as e:
        raise Bad(f"head: {e}")
    if head_origin != origin:
        raise Bad(f"head: origin is {head_origin}, not {origin}")
    cosigned_by = {o: size for o in head_cosigned}

    # 3. Earlier checkpoints: signed, cosigned, consistent with the head.
    for cp in log.get("checkpoints", []):
        where = "checkpoint ?"
        try:
            text, _ = parse_note(cp["note"])
            where = f"checkpoint {text.split(chr(10))[1]}"
            o, n, r, _, cos = open_checkpoint(where, cp["note"], log_keys[org], partners)
            if o != origin:
                raise Bad(f"origin is {o}, not {origin}")
            proof = [b64std(h, 32) for h in cp.get("consistency", [])]
            if not verify_consistency(n, size, r, root, proof):
                raise Bad(f"its consistency proof to the head (size {size}) does not verify: the log was rewritten")
            for c in cos:
                cosigned_by[c] = max(cosigned_by.get(c, 0), n)
        except (Bad, KeyError, TypeError) as e:
            problem(where, str(e))

    # 4. Statements: in the log at their index, and each a valid statement of its signer.
    # A task is known by its id and the partner: two partners may choose the same task id.
    tasks = {(t["task_id"], t["peer"]): t for t in bundle.get("tasks", [])}
    by_task, seen = {}, set()
    runs = []
    for s in bundle.get("statements", []):
        task_id = s.get("task_id")
        where = f"task {task_id}: {s.get('kind')} statement"
        if s.get("kind") == "run":
            where = f"run {task_id}: statement at index {s.get('index')}"
        try:
            index = int(s["index"]) if re.fullmatch(r"0|[1-9][0-9]*", str(s["index"])) else -1
            leaf = hashlib.sha256(b"\x00" + s["jws"].encode("ascii")).digest()
            path = [b64std(h, 32) for h in s["inclusion"]]
            if index in seen:
                problem(where, f"two statements at index {index}")
            seen.add(index)
            if not verify_inclusion(index, size, leaf, path, root):
                problem(where, f"the inclusion proof of index {s['index']} does not lead to the head's root")
            if s["kind"] == "run":  # a workflow run's event, signed by the exporter alone
                payload, invalid_key = verify_statement(s["jws"], "run", org, receipt_keys)
                if invalid_key:
                    problem(where, invalid_key)
                if s.get("signer") != org or payload["run_id"] != task_id:
                    raise Bad(f"not a statement of run {task_id} signed by {org}")
                runs.append(payload)
                continue
            task = tasks.get((task_id, s["peer"]))
            if task is None:
                raise Bad("of a task the bundle does not list")
            requester, responder = (org, task["peer"]) if task["role"] == "requester" else (task["peer"], org)
            local_denial = s["kind"] == "result" and s.get("signer") == requester
            expected = responder if s["kind"] == "result" and not local_denial else requester
            if s.get("signer") != expected:
                problem(where, f"the bundle says it is signed by {s.get('signer')}, but its signer is the {'responder' if expected == responder else 'requester'} {expected}")
            payload, invalid_key = verify_statement(s["jws"], s["kind"], expected, receipt_keys)
            if invalid_key:
                problem(where, invalid_key)
            if payload["to"] != (requester if expected == responder else responder):
                raise Bad(f"addressed to {payload['to']}")
            if payload["task_id"] != task_id:
                raise Bad(f"names task {payload['task_id']}")
            if local_denial and (payload["status"], payload.get("reason")) != ("denied", "outbound_denied"):
                raise Bad("signed by the requester but not a local outbound denial")
            got = by_task.setdefault((task_id, s["peer"]), {})
            if s["kind"] in got:
                raise Bad("a second one")
            got[s["kind"]] = (s["jws"], payload, local_denial)
        except (Bad, KeyError, TypeError, AttributeError, ValueError) as e:
            problem(where, f"lacks member {e}" if isinstance(e, KeyError) else str(e))

    # 5. Tasks: request -> result -> ack, each citing the digest of the one before.
    for (task_id, peer), task in tasks.items():
        where, got = f"task {task_id}", by_task.get((task_id, peer), {})
        request, result, ack = got.get("request"), got.get("result"), got.get("ack")
        if request is None:
            problem(where, "no valid request statement (removed or invalid)")
        else:
            for member in ("capability", "purpose"):
                if task.get(member) not in (None, request[1][member]):
                    problem(where, f"the task's {member} {task[member]!r} is not the request's {request[1][member]!r}")
        if result is None:
            # A request that was never answered (the partner unreachable, the deadline passed) has no result.
            unanswered = task.get("role") == "requester" and task.get("reason") in ("partner_unavailable", "deadline_exceeded")
            if (task.get("status") in ("completed", "denied", "failed", "cancelled") and not unanswered) or ack is not None:
                problem(where, f"no valid result statement for a {task['status']} task (removed or invalid)")
            continue
        if request is not None and result[1]["request_digest"] != statement_digest(request[0]):
            problem(where, "the result's request_digest is not the digest of the request statement")
        if result[2]:  # local outbound denial: nothing reached the partner, there is no ack
            if ack is not None:
                problem(where, "an ack of a local outbound denial")
        elif ack is None:
            pending = {"pending": " (pending: the requester's outbox still holds it)",
                       "failed": " (the partner refused it: the requester's outbox says why)"}.get(task.get("ack"), "")
            problem(where, f"unacknowledged: no ack statement{pending}")
        elif ack[1]["result_statement_digest"] != statement_digest(result[0]):
            problem(where, "the ack's result_statement_digest is not the digest of the result statement")

    # Runs: in a bundle of the whole log, every partner task a run's step caused is in it.
    if not bundle.get("selection"):
        for r in runs:
            if r["event"] == "step_started" and r["provider"] != "local" and "request" not in by_task.get((r["task_id"], r["provider"]), {}):
                problem(f"run {r['run_id']}", f"step {r['step']} asked {r['provider']} for task {r['task_id']}, whose request statement is not in the log")

    # 6. Witnessed checkpoints: the partner's, with our cosignature.
    for w in bundle.get("witnessed", []):
        partner, where = w.get("partner"), f"witnessed checkpoint of {w.get('partner')}"
        try:
            o, n, _, _, cos = open_checkpoint(where, w["note"], log_keys.get(partner, []), {org: log_keys[org]})
            if o != f"entente/{partner}":
                raise Bad(f"origin is {o}")
            if org not in cos:
                raise Bad(f"size {n} carries no valid cosignature of {org}")
        except (Bad, KeyError, TypeError) as e:
            problem(where, str(e))

    # 7. Alarms are problems.
    for a in bundle.get("alarms", []):
        problem(f"alarm about {a.get('partner')}", f"{a.get('code')} at {a.get('at')}: {a.get('message')}")
    return org, size, len(tasks), len(bundle.get("statements", [])), cosigned_by


def main(argv):
    if len(argv) != 2 or argv[1].startswith("-"):
        print(__doc__.strip().split("\n\n")[1], file=sys.stderr)
        return 2
    try:
        with open(argv[1], "rb") as f:
            data = f.read()
    except OSError as e:
        print(f"verify.py: {e}", file=sys.stderr)
        return 2
    try:
        bundle = json.loads(data.decode("utf-8"))
        org, size, ntasks, nstatements, cosigned_by = verify_bundle(bundle)
    except (Bad, ValueError, KeyError, TypeError, AttributeError) as e:
        problem("bundle", f"malformed: {e}")
        org = None
    for line in problems:
        print(line)
    if problems:
        print(f"FAILED: {len(problems)} problem(s) in {argv[1]}")
        return 1
    cos = ", ".join(f"{o} (up to size {n})" for o, n in sorted(cosigned_by.items())) or "nobody"
    print(f"OK: the bundle of {org} verifies: {ntasks} tasks, {nstatements} statements in a log of "
          f"{size} leaves; checkpoints cosigned by {cos}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
