#!/usr/bin/env python3
"""Writes the Teams app icons with the standard library only: color.png 192x192 (full colour) and
outline.png 32x32 (white on transparent), as the app package requires."""
import struct
import sys
import zlib
from pathlib import Path


def png(path, size, pixel):
    rows = b"".join(b"\x00" + b"".join(bytes(pixel(x, y, size)) for x in range(size)) for y in range(size))
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    Path(path).write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0))
                           + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b""))


def near_segment(u, v, a, b, width):
    (ax, ay), (bx, by) = a, b
    t = max(0.0, min(1.0, ((u - ax) * (bx - ax) + (v - ay) * (by - ay)) / ((bx - ax) ** 2 + (by - ay) ** 2)))
    return (u - ax - t * (bx - ax)) ** 2 + (v - ay - t * (by - ay)) ** 2 <= width ** 2


def glyph(x, y, size):
    """A terminal prompt '>_' in the middle of the icon: True where the glyph is drawn."""
    u, v = (x + 0.5) / size, (y + 0.5) / size
    chevron = near_segment(u, v, (0.24, 0.28), (0.48, 0.5), 0.06) or near_segment(u, v, (0.48, 0.5), (0.24, 0.72), 0.06)
    underscore = 0.54 <= u <= 0.8 and 0.64 <= v <= 0.74
    return chevron or underscore


def color(x, y, size):
    return (255, 255, 255, 255) if glyph(x, y, size) else (31, 111, 178, 255)


def outline(x, y, size):
    return (255, 255, 255, 255) if glyph(x, y, size) else (0, 0, 0, 0)


if __name__ == "__main__":
    out = Path(sys.argv[1] if len(sys.argv) > 1 else ".")
    out.mkdir(parents=True, exist_ok=True)
    png(out / "color.png", 192, color)
    png(out / "outline.png", 32, outline)
