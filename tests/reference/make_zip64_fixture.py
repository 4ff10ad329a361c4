#!/usr/bin/env python3
"""Writes tests/data/npz/zip64.npz: an .npz whose every zip structure is ZIP64 (ZIP64 local and
central extra fields, ZIP64 end-of-directory record and locator), as NumPy and other writers
produce for large archives. Uses only the standard library, so the .npy members are written by
hand in NumPy's format 1.0. Run: python3 tests/reference/make_zip64_fixture.py"""
import pathlib
import struct
import zipfile


def npy(descr, shape, data):
    shape_text = "(" + ", ".join(str(d) for d in shape) + ("," if len(shape) == 1 else "") + ")"
    header = "{'descr': '%s', 'fortran_order': False, 'shape': %s, }" % (descr, shape_text)
    header += " " * ((64 - (10 + len(header) + 1) % 64) % 64) + "\n"
    return b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header.encode() + data


out = pathlib.Path(__file__).resolve().parents[1] / "data" / "npz" / "zip64.npz"
X = struct.pack("<6d", 0, 1, 2, 3, 4, 5)  # 3 x 2
y = struct.pack("<3q", 1, 0, 1)
# Every offset and count past these limits is written in ZIP64 records: with 0, all of them are.
zipfile.ZIP64_LIMIT = 0
zipfile.ZIP_FILECOUNT_LIMIT = 0
with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True) as z:
    for name, data in (("X.npy", npy("<f8", (3, 2), X)), ("y.npy", npy("<i8", (3,), y))):
        with z.open(name, "w", force_zip64=True) as member:
            member.write(data)
