#!/usr/bin/env python3
"""Writes the loaders' seed corpora into tests/fuzz/corpus/<target>/ (plain Python, no NumPy).

Each seed is the options byte (see fuzz_input.h) followed by the file's content; IDX seeds
frame the images and labels files (fuzz_idx_common.h). The tables are the heads of the test
fixtures in tests/data, the .npz and .h5ad files are those fixtures whole, the NPY and IDX files are
built here byte by byte. Run it again after changing a fixture or the framing.
"""
import gzip
import pathlib
import struct
import zlib

ROOT = pathlib.Path(__file__).resolve().parent
DATA = ROOT.parent / "data"
OUT = ROOT / "corpus"

# Options byte bits: labelColumn in 0-2, missing policy in 3-4, .tsv 5, raw gzip 6, array X 7.
LABEL = {"": 0, "none": 1, "0": 2, "-1": 3, "last": 4, "label": 5, "y": 6, "1": 7}
DROP, IMPUTE, TSV, RAW_GZ, ARRAY_X = 1 << 3, 2 << 3, 1 << 5, 1 << 6, 1 << 7


def seed(target, name, options, content):
    folder = OUT / target
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(bytes([options]) + content)


def head(fixture, lines):
    text = (DATA / fixture).read_bytes().decode()
    return ("\n".join(text.splitlines()[:lines]) + "\n").encode()


def png(h, w, colour_type, pixels):
    """An 8-bit PNG (colour type 0 grey, 2 RGB, 4 grey + alpha) of h x w pixels, rows unfiltered."""
    channels = {0: 1, 2: 3, 4: 2}[colour_type]
    raw = b"".join(b"\0" + pixels[r * w * channels:(r + 1) * w * channels] for r in range(h))

    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", w, h, 8, colour_type, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw)) +
            chunk(b"IEND", b""))


def npy(descr, shape, payload, fortran=False, version=1):
    dims = ", ".join(str(n) for n in shape) + ("," if len(shape) == 1 else "")
    header = "{'descr': '%s', 'fortran_order': %s, 'shape': (%s), }" % (descr, fortran, dims)
    size_field = 2 if version == 1 else 4
    total = 6 + 2 + size_field + len(header) + 1
    header += " " * ((64 - total % 64) % 64) + "\n"
    size = struct.pack("<H" if version == 1 else "<I", len(header))
    return b"\x93NUMPY" + bytes([version, 0]) + size + header.encode("latin1") + payload


def idx(type_code, dims, payload):
    return b"\0\0" + bytes([type_code, len(dims)]) + b"".join(struct.pack(">I", d) for d in dims) + payload


def idx_pair(images, labels=b""):
    return struct.pack("<I", len(images)) + images + labels


def tables():
    handmade = (b'name,x,y,class\n"a, quoted",1.5,2,cat\nb,NA,3e2,dog\n'
                b'"c ""q""",-0.5,,cat\nd,1e39,4,\n')
    tsv = b"x\ty\tlabel\n1\t2\t0\n3\t?\t1\n5\t6\t1\n"
    return [
        ("wine_head", LABEL[""], head("wine.csv", 6)),
        ("metrics_drop", DROP, head("internal_metrics_40x3.csv", 6)),
        ("iris_last", LABEL["last"], head("agglomerative_iris.csv", 6)),
        ("wine_impute_index", IMPUTE | LABEL["0"], head("agglomerative_wine.csv", 5)),
        ("handmade_quotes", LABEL["-1"] | DROP, handmade),
        ("handmade_none", LABEL["none"] | IMPUTE, handmade.replace(b"1e39", b"7")),
        ("tab_separated", TSV | LABEL["label"] | IMPUTE, tsv),
    ]


def main():
    for name, options, content in tables():
        seed("csv", name, options, content)
        seed("csv_gz", name, options, content)  # the target gzips it
    seed("csv_gz", "raw_two_members", RAW_GZ,
         gzip.compress(b"a,b\n1,2\n", mtime=0) + gzip.compress(b"3,4\n", mtime=0))

    f4 = struct.pack("<6f", 1, 2, 3, 4, 5, 6)
    seed("npy", "v1_f4_2x3", 0, npy("<f4", (2, 3), f4))
    seed("npy", "v2_f8_big_fortran", 0,
         npy(">f8", (3, 2), struct.pack(">6d", 1, 4, 2, 5, 3, 6), fortran=True, version=2))
    seed("npy", "v3_i8_1d", 0, npy("<i8", (4,), struct.pack("<4q", 1, -2, 3, 4), version=3))
    seed("npy", "u1_images_2x2x2", 0, npy("|u1", (2, 2, 2), bytes(range(8))))
    seed("npy", "f4_nan", IMPUTE, npy("<f4", (2, 2), struct.pack("<4f", 1, float("nan"), 3, 4)))

    for path in sorted((DATA / "npz").glob("*.npz")):
        seed("npz", path.stem, 0, path.read_bytes())
    seed("npz", "table_array_x_labels_y", ARRAY_X | LABEL["y"], (DATA / "npz" / "table.npz").read_bytes())

    # AnnData fixtures whole (tests/reference/h5ad_fixtures.py); "label" picks dense.h5ad's.
    for stem in ("csr", "csc", "dense", "old_categorical", "bad_indptr"):
        seed("h5ad", stem, LABEL["label"] if stem == "dense" else 0,
             (DATA / "h5ad" / (stem + ".h5ad")).read_bytes())

    images = idx(0x08, (3, 2, 2), bytes(range(12)))
    labels = idx(0x08, (3,), b"\x07\x01\x07")
    floats = idx(0x0D, (2, 1, 2), struct.pack(">4f", 0.5, 1, 2, 3))
    for target in ("idx", "idx_gz"):
        seed(target, "u8_with_labels", 0, idx_pair(images, labels))
        seed(target, "u8_no_labels", 0, idx_pair(images))
        seed(target, "f32_labels_none", LABEL["none"], idx_pair(floats, idx(0x08, (2,), b"\0\1")))
    seed("idx_gz", "raw_gzip_pair", RAW_GZ,
         idx_pair(gzip.compress(images, mtime=0), gzip.compress(labels, mtime=0)))

    # Image folders (fuzz_images.cpp): bits 0 .jpg, 1 resize to 5x7, 2 a 2x3 PNG beside, 3 in
    # a class folder. The JPEG seed is tests/data/images/gradient.jpg (ImageMagick:
    # convert -size 6x5 gradient: -quality 90 gradient.jpg).
    seed("images", "grey_4x4", 0, png(4, 4, 0, bytes(range(0, 256, 16))))
    seed("images", "rgb_3x2_beside_resized", 2 | 4 | 8, png(2, 3, 2, bytes(range(18))))
    seed("images", "grey_alpha_2x3_beside", 4, png(3, 2, 4, bytes(range(12))))
    seed("images", "jpeg_gradient", 1, (DATA / "images" / "gradient.jpg").read_bytes())


if __name__ == "__main__":
    main()
