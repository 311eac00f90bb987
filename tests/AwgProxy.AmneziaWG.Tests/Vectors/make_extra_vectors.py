#!/usr/bin/env python3
"""Writes awg-extra.json: a second "awg-obf-vectors/1" file, with new specs and seeds.

Written only from the rules in ../shared/awg-vectors/README.md (the stream, crypto/rand.Int, the
tag outputs, the junk/padding/initSequence order), independently of the C# port, so that the
port's vector test can be pointed at a file it was not developed against:

    AWG_VECTOR_FILE=tests/AwgProxy.AmneziaWG.Tests/Vectors/awg-extra.json \
        dotnet test tests/AwgProxy.AmneziaWG.Tests -c Release

Only inputs whose behaviour the README states completely are generated: valid chains (tags b, r,
rc, rd, t, d, ds, dz with non-negative lengths), a few unknown/empty-tag errors, headers, rand.Int,
junk, padding and handshake-initiation sequences. Run: python3 make_extra_vectors.py
"""
import base64
import hashlib
import json
import os
import re
import struct

DEFAULT_UNIX_TIME = 1700000000


class Stream:
    def __init__(self, seed: bytes):
        self.seed, self.counter, self.buf, self.consumed = seed, 0, b"", 0

    def read(self, n: int) -> bytes:
        while len(self.buf) < n:
            self.buf += hashlib.sha256(self.seed + struct.pack("<I", self.counter)).digest()
            self.counter += 1
        out, self.buf = self.buf[:n], self.buf[n:]
        self.consumed += n
        return out


def rand_int(stream: Stream, maximum: int) -> int:
    assert maximum > 0
    bit_len = (maximum - 1).bit_length()
    if bit_len == 0:
        return 0
    k = (bit_len + 7) // 8
    b = bit_len % 8 or 8
    while True:
        raw = bytearray(stream.read(k))
        raw[0] &= (1 << b) - 1
        value = int.from_bytes(raw, "big")
        if value < maximum:
            return value


# --- tag chains (README rules 1-13) ---------------------------------------------------------
SPACES = "\t\n\v\f\r \u0085\u00a0\u1680\u2028\u2029\u202f\u205f\u3000" + "".join(chr(c) for c in range(0x2000, 0x200B))
LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"


def fields(body: str):
    return [f for f in re.split("[" + re.escape(SPACES) + "]+", body) if f]


def parse_chain(spec: str):
    """Returns (tags, error); tags are (name, arg) for the valid tags this script supports."""
    tags, errors, rest = [], [], spec
    while True:
        start = rest.find("<")
        if start < 0:
            break
        end = rest.find(">", start)
        if end < 0:
            return None, "missing enclosing >"
        parts, rest = fields(rest[start + 1:end]), rest[end + 1:]
        if not parts:
            errors.append("empty tag")
            continue
        name, arg = parts[0], (parts[1] if len(parts) > 1 else "")
        if name not in ("b", "t", "r", "rc", "rd", "d", "ds", "dz"):
            errors.append(f"unknown tag <{name}>")
            continue
        tags.append((name, arg))
    return (None, "\n".join(errors)) if errors else (tags, None)


def tag_len(name, arg, n):
    if name == "b":
        return len(bytes.fromhex(arg[2:] if arg.startswith("0x") else arg))
    if name == "t":
        return 4
    if name in ("r", "rc", "rd", "dz"):
        return int(arg)
    if name == "d":
        return n
    return n // 3 * 4 + (n % 3 * 8 + 5) // 6  # ds: unpadded base64


def obfuscate(tags, src: bytes, stream: Stream, unix_time: int) -> bytes:
    out = b""
    for name, arg in tags:
        if name == "b":
            out += bytes.fromhex(arg[2:] if arg.startswith("0x") else arg)
        elif name == "t":
            out += struct.pack(">I", unix_time % 2**32)
        elif name == "r":
            out += stream.read(int(arg))
        elif name == "rc":
            out += bytes(ord(LETTERS[x % 52]) for x in stream.read(int(arg)))
        elif name == "rd":
            out += bytes(ord("0123456789"[x % 10]) for x in stream.read(int(arg)))
        elif name == "d":
            out += src
        elif name == "ds":
            out += base64.b64encode(src).rstrip(b"=")
        elif name == "dz":
            n = int(arg)
            out += (len(src) % 2 ** (8 * n)).to_bytes(n, "big") if n else b""
    return out


def seed_for(label: str) -> str:
    return hashlib.sha256(("awg-extra/" + label).encode()).hexdigest()[:32]


def chain_case(i, spec, unix_time=DEFAULT_UNIX_TIME):
    tags, error = parse_chain(spec)
    seed = seed_for(f"chain/{i}")
    case = {"id": f"x-chain-{i:03d}", "kind": "chain", "spec": spec, "seedHex": seed, "unixTime": unix_time,
            "valid": tags is not None, "error": error, "panics": False, "panicMessage": None}
    if tags is None:
        case.update(obfuscatedLen=None, outputHex=None, outputSha256=None, bytesConsumed=0)
        return case
    stream = Stream(bytes.fromhex(seed))
    out = obfuscate(tags, b"", stream, unix_time)
    assert len(out) == sum(tag_len(n, a, 0) for n, a in tags)
    case.update(obfuscatedLen=len(out), outputHex=out.hex(), outputSha256=hashlib.sha256(out).hexdigest(),
                bytesConsumed=stream.consumed)
    return case


def chain_data_case(i, spec, src: bytes):
    tags, _ = parse_chain(spec)
    seed = seed_for(f"chainData/{i}")
    stream = Stream(bytes.fromhex(seed))
    out = obfuscate(tags, src, stream, DEFAULT_UNIX_TIME)
    return {"id": f"x-chainData-{i:03d}", "kind": "chainData", "spec": spec, "srcHex": src.hex(), "seedHex": seed,
            "unixTime": DEFAULT_UNIX_TIME, "obfuscatedLen": len(out), "outputHex": out.hex(),
            "bytesConsumed": stream.consumed, "panics": False, "panicMessage": None}


def len_table_case(i, spec):
    tags, _ = parse_chain(spec)

    def obf_len(n):
        return sum(tag_len(name, arg, n) for name, arg in tags)

    def deobf_len(n):
        dyn, total = n - obf_len(0), 0
        for name, _ in tags:
            if name == "d":
                total += dyn
            elif name == "ds":
                q = int(dyn / 4)  # Go truncates toward zero
                r = dyn - 4 * q
                total += q * 3 + int(r * 6 / 8)
        return total

    rows = [[n, obf_len(n), deobf_len(n)] for n in (0, 1, 2, 3, 4, 5, 6, 7, 9, 15, 64, 200, 1199)]
    return {"id": f"x-lenTable-{i:03d}", "kind": "lenTable", "spec": spec, "rowFormat": "[n, ObfuscatedLen(n), DeobfuscatedLen(n)]", "rows": rows}


def header_case(i, spec):
    start, _, end = spec.partition("-")
    start, end = int(start), int(end or start)
    seed = seed_for(f"header/{i}")
    stream = Stream(bytes.fromhex(seed))
    generated, per_call = [], []
    for _ in range(8):
        before = stream.consumed
        generated.append(start + rand_int(stream, (end - start + 1) % 2**32))
        per_call.append(stream.consumed - before)
    gen_spec = str(start) if start == end else f"{start}-{end}"
    probes = sorted({0, start, end, max(start - 1, 0), min(end + 1, 2**32 - 1), 2**32 - 1})
    return {"id": f"x-header-{i:03d}", "kind": "header", "spec": spec, "valid": True, "error": None, "start": start,
            "end": end, "genSpec": gen_spec, "seedHex": seed, "generated": generated, "perCallBytes": per_call,
            "bytesConsumed": stream.consumed, "panics": False, "panicMessage": None,
            "validate": [[v, start <= v <= end] for v in probes]}


def rand_int_case(i, maximum):
    seed = seed_for(f"randInt/{i}")
    stream = Stream(bytes.fromhex(seed))
    values, per_call = [], []
    for _ in range(8):
        before = stream.consumed
        values.append(rand_int(stream, maximum))
        per_call.append(stream.consumed - before)
    return {"id": f"x-randInt-{i:03d}", "kind": "randInt", "max": maximum, "seedHex": seed, "values": values,
            "perCallBytes": per_call, "bytesConsumed": stream.consumed, "panics": False, "panicMessage": None}


def junk(stream, jc, jmin, jmax):
    packets = []
    for _ in range(max(jc, 0)):
        size = rand_int(stream, jmax - jmin + 1) + jmin
        packets.append(stream.read(size))
    return packets


def junk_case(i, jc, jmin, jmax):
    seed = seed_for(f"junk/{i}")
    stream = Stream(bytes.fromhex(seed))
    packets = junk(stream, jc, jmin, jmax)
    return {"id": f"x-junk-{i:03d}", "kind": "junk", "jc": jc, "jmin": jmin, "jmax": jmax, "seedHex": seed,
            "sizes": [len(p) for p in packets], "packetsHex": [p.hex() for p in packets],
            "bytesConsumed": stream.consumed, "panics": False, "panicMessage": None, "packetsBeforePanic": None}


def padding_case(i, s, packet: bytes):
    seed = seed_for(f"padding/{i}")
    stream = Stream(bytes.fromhex(seed))
    prefix = stream.read(s) if s > 0 else b""
    return {"id": f"x-padding-{i:03d}", "kind": "padding", "s": s, "seedHex": seed, "packetHex": packet.hex(),
            "prefixHex": prefix.hex(), "outputHex": (prefix + packet).hex(), "bytesConsumed": stream.consumed}


def init_sequence_case(i, specs, jc, jmin, jmax, s1, unix_time, message: bytes):
    seed = seed_for(f"initSequence/{i}")
    stream = Stream(bytes.fromhex(seed))
    datagrams = []
    for spec in specs:
        if spec is not None:
            datagrams.append(obfuscate(parse_chain(spec)[0], b"", stream, unix_time))
    datagrams += junk(stream, jc, jmin, jmax)
    datagrams.append((stream.read(s1) if s1 > 0 else b"") + message)
    return {"id": f"x-initSequence-{i:03d}", "kind": "initSequence", "i": specs, "jc": jc, "jmin": jmin, "jmax": jmax,
            "s1": s1, "unixTime": unix_time, "seedHex": seed, "messageHex": message.hex(),
            "datagramsHex": [d.hex() for d in datagrams], "bytesConsumed": stream.consumed}


def main():
    cases = []
    chain_specs = [
        "<b 0xcafe><r 7><rc 9><rd 11>", "<r 257>", "<rc 300>", "<rd 3><t><rd 3>", "<dz 9>", "<dz 1><r 1>",
        "prefix <b 0x00ff> middle <r 2> suffix", "<b\u00a00x10\u3000extra>", "<t whatever><b 0xAbCd>",
        "<r 0><rc 0><rd 0><dz 0>", "<b 0xc3000000010811223344556677><r 1100>", "<rc 52><rc 52><rc 52>",
        "<q>", "<b 0x01><>", "<B 0x01><r 5>", "<rc 5", "<r 4><t>",
    ]
    for i, spec in enumerate(chain_specs, 1):
        cases.append(chain_case(i, spec, 1234567890 if i % 3 == 0 else DEFAULT_UNIX_TIME))
    cases.append(chain_case(len(chain_specs) + 1, "<t><t>", 4294967296 + 77))
    cases.append(chain_case(len(chain_specs) + 2, "<t>", -2))

    data_cases = [("<d><ds>", bytes(range(7))), ("<dz 3><d>", bytes(range(250)) * 2), ("<ds><r 3>", b"\xff\xfe\xfd\xfc"),
                  ("<b 0x01><dz 1><d>", b"x" * 300), ("<ds>", b"")]
    for i, (spec, src) in enumerate(data_cases, 1):
        cases.append(chain_data_case(i, spec, src))

    for i, spec in enumerate(["<ds><d>", "<b 0x0102><ds>", "<rd 4><d>"], 1):
        cases.append(len_table_case(i, spec))

    for i, spec in enumerate(["7", "10-11", "1-1000", "300-70000", "123456-123457", "3000000000-4294967295", "0-16777216"], 1):
        cases.append(header_case(i, spec))

    for i, maximum in enumerate([3, 6, 7, 9, 200, 257, 1472, 70000, 16777217, 2**40 + 3, 2**63 - 1], 1):
        cases.append(rand_int_case(i, maximum))

    for i, (jc, jmin, jmax) in enumerate([(3, 100, 101), (5, 0, 3), (2, 1000, 1400), (7, 9, 9), (1, 0, 65527)], 1):
        cases.append(junk_case(i, jc, jmin, jmax))

    message = bytes((i * 7) % 256 for i in range(148))
    for i, s in enumerate([0, 4, 64, 300], 1):
        cases.append(padding_case(i, s, message))

    cases.append(init_sequence_case(1, ["<b 0x01><r 5>", None, "<rc 4><t>", None, "<rd 2>"], 2, 30, 40, 20, 1700000123, message))
    cases.append(init_sequence_case(2, [None] * 5, 0, 0, 0, 0, DEFAULT_UNIX_TIME, message))
    cases.append(init_sequence_case(3, ["", None, None, None, None], 1, 0, 0, 1, DEFAULT_UNIX_TIME, message))

    counts = {}
    for c in cases:
        counts[c["kind"]] = counts.get(c["kind"], 0) + 1
    document = {
        "format": "awg-obf-vectors/1",
        "upstream": {"repository": "https://github.com/amnezia-vpn/amneziawg-go",
                     "commit": "e796d477d89e6851b2bb4871bf75f1e621f94ace"},
        "generator": "make_extra_vectors.py: an independent Python implementation of the awg-vectors README rules",
        "stream": "stream(seed) = SHA256(seed || uint32_le(0)) || SHA256(seed || uint32_le(1)) || ...",
        "defaultUnixTime": DEFAULT_UNIX_TIME,
        "counts": dict(sorted(counts.items())),
        "cases": cases,
    }
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "awg-extra.json")
    with open(path, "w", encoding="utf-8") as f:
        json.dump(document, f, indent=1, ensure_ascii=False)
        f.write("\n")
    print(f"wrote {len(cases)} cases to {path}: {counts}")


if __name__ == "__main__":
    main()
