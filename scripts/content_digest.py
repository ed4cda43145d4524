#!/usr/bin/env python3
"""The content digest swift-pbt names checkpoints by (`ContentDigest` in Sources/PBTStore).

Up to one chunk (8 MiB) it is the plain SHA-256 of the bytes; above, the SHA-256 of
b"pbt-sha256-chunks\\0" + size (8 bytes, big-endian) + chunk (8 bytes, big-endian) followed by
the SHA-256 of each 8 MiB chunk in order (the last one shorter).

    python3 scripts/content_digest.py FILE...      # prints "DIGEST  FILE" per file, like sha256sum
    python3 scripts/content_digest.py --vectors    # the test vectors of ContentDigestTests
"""
import hashlib
import sys

CHUNK = 8 << 20


def content_digest(data_chunks, size):
    """The digest of `size` bytes given as an iterable of CHUNK-sized pieces (the last shorter)."""
    leaves = [hashlib.sha256(piece).digest() for piece in data_chunks]
    if size <= CHUNK:
        return leaves[0].hex() if leaves else hashlib.sha256(b"").hexdigest()
    root = hashlib.sha256(b"pbt-sha256-chunks\0" + size.to_bytes(8, "big") + CHUNK.to_bytes(8, "big"))
    for leaf in leaves:
        root.update(leaf)
    return root.hexdigest()


def file_digest(path):
    with open(path, "rb") as handle:
        size = handle.seek(0, 2)
        handle.seek(0)
        return content_digest(iter(lambda: handle.read(CHUNK), b""), size)


def pattern(n):
    """The bytes the Swift tests hash: (i * 31 + 7) mod 256."""
    block = bytes((i * 31 + 7) % 256 for i in range(256))
    return (block * (n // 256 + 1))[:n]


if __name__ == "__main__":
    if sys.argv[1:] == ["--vectors"]:
        for n in [0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 2 * CHUNK, 2 * CHUNK + 12_345, 5 * CHUNK + 7]:
            data = pattern(n)
            print(n, content_digest([data[i:i + CHUNK] for i in range(0, n, CHUNK)], n))
    else:
        for path in sys.argv[1:]:
            print(f"{file_digest(path)}  {path}")
