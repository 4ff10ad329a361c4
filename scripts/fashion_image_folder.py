#!/usr/bin/env python3
"""Writes Fashion-MNIST test images as a folder of PNGs in class subfolders (the layout that
torchvision's ImageFolder reads and `clusterscope-cli --data FOLDER` opens).

    python3 scripts/fashion_image_folder.py OUT [PER_CLASS] [CLASS ...]
e.g. python3 scripts/fashion_image_folder.py /tmp/fashion-png 150 trouser bag "ankle boot"

PNG is written with zlib alone (no imaging library needed)."""
import gzip
import os
import struct
import sys
import zlib

import numpy as np

ROOT = "/usr/share/datasets/fashion-mnist"
NAMES = ["t-shirt", "trouser", "pullover", "dress", "coat",
         "sandal", "shirt", "sneaker", "bag", "ankle boot"]


def idx(path):
    with gzip.open(path) as f:
        data = f.read()
    dims = struct.unpack(">" + "I" * data[3], data[4:4 + 4 * data[3]])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * data[3]).reshape(dims)


def png(path, image):
    h, w = image.shape
    raw = b"".join(b"\x00" + image[r].tobytes() for r in range(h))

    def chunk(kind, body):
        crc = zlib.crc32(kind + body) & 0xFFFFFFFF
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", w, h, 8, 0, 0, 0, 0)  # 8-bit greyscale
    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) +
                chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def main():
    out = sys.argv[1]
    per_class = int(sys.argv[2]) if len(sys.argv) > 2 else 100
    classes = sys.argv[3:] or NAMES
    images = idx(f"{ROOT}/t10k-images-idx3-ubyte.gz")
    labels = idx(f"{ROOT}/t10k-labels-idx1-ubyte.gz")
    for name in classes:
        folder = os.path.join(out, name)
        os.makedirs(folder, exist_ok=True)
        for i in np.where(labels == NAMES.index(name))[0][:per_class]:
            png(os.path.join(folder, f"{i:05d}.png"), images[i])
    print(f"{out}: {len(classes)} classes x {per_class} images")


if __name__ == "__main__":
    main()
