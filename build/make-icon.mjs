#!/usr/bin/env node
// Draws build/icon.png (512×512 RGBA): a shipping container resting in an open bay, on a teal tile.
// Shapes are signed-distance functions sampled 4×4 per pixel for anti-aliasing; the PNG is written
// with zlib alone, so the icon is reproducible without image tools: node build/make-icon.mjs
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const size = 512;
const samples = 4;

// Distance from (x, y) to a rounded box centred at (cx, cy) with half sizes (hw, hh); < 0 inside.
const box = (x, y, cx, cy, hw, hh, r) => {
  const qx = Math.abs(x - cx) - hw + r;
  const qy = Math.abs(y - cy) - hh + r;
  return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - r;
};
const union = (...ds) => Math.min(...ds);

const tile = (x, y) => box(x, y, 256, 256, 240, 240, 104);
// The bay: an open-topped U, its walls and floor one stroke.
const bay = (x, y) => union(box(x, y, 112, 306, 18, 118, 18), box(x, y, 400, 306, 18, 118, 18), box(x, y, 256, 406, 162, 18, 18));
// Two containers stacked in the bay, each with the corrugated ribs that make a container read as one.
const ribs = (x, y, cy, from, to, half) => {
  if (Math.abs(y - cy) > half) return 1;
  let d = 1;
  for (let cx = from; cx <= to; cx += 32) d = Math.min(d, box(x, y, cx, cy, 5, half, 5));
  return d;
};
const container = (x, y) => box(x, y, 256, 322, 112, 66, 12);
const containerRibs = (x, y) => ribs(x, y, 322, 176, 336, 46);
const upper = (x, y) => box(x, y, 256, 214, 80, 36, 10);
const upperRibs = (x, y) => ribs(x, y, 214, 208, 304, 20);

function colourAt(x, y) {
  if (tile(x, y) > 0) return null;
  const t = y / size;
  let c = [0x1e + (0x0c - 0x1e) * t, 0x7a + (0x3a - 0x7a) * t, 0x8f + (0x4b - 0x8f) * t];
  if (bay(x, y) <= 0) c = [0xe9, 0xf5, 0xf7];
  if (container(x, y) <= 0) c = containerRibs(x, y) <= 0 ? [0xc9, 0x7a, 0x1c] : [0xf2, 0xa6, 0x3a];
  if (upper(x, y) <= 0) c = upperRibs(x, y) <= 0 ? [0x4f, 0xa9, 0xba] : [0x8a, 0xd8, 0xe4];
  return c;
}

const rgba = Buffer.alloc(size * size * 4);
for (let py = 0; py < size; py++) {
  for (let px = 0; px < size; px++) {
    let r = 0, g = 0, b = 0, a = 0;
    for (let sy = 0; sy < samples; sy++) {
      for (let sx = 0; sx < samples; sx++) {
        const c = colourAt(px + (sx + 0.5) / samples, py + (sy + 0.5) / samples);
        if (!c) continue;
        r += c[0]; g += c[1]; b += c[2]; a++;
      }
    }
    const o = (py * size + px) * 4;
    if (a > 0) {
      rgba[o] = Math.round(r / a);
      rgba[o + 1] = Math.round(g / a);
      rgba[o + 2] = Math.round(b / a);
      rgba[o + 3] = Math.round((255 * a) / (samples * samples));
    }
  }
}

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (buf) => {
  let c = 0xffffffff;
  for (const byte of buf) c = crcTable[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
const chunk = (type, data) => {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
};

const ihdr = Buffer.alloc(13);
ihdr.writeUInt32BE(size, 0);
ihdr.writeUInt32BE(size, 4);
ihdr[8] = 8; // bit depth
ihdr[9] = 6; // RGBA
const rows = Buffer.alloc(size * (size * 4 + 1));
for (let y = 0; y < size; y++) rgba.copy(rows, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);

const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  chunk('IHDR', ihdr),
  chunk('IDAT', deflateSync(rows, { level: 9 })),
  chunk('IEND', Buffer.alloc(0)),
]);
const out = new URL('./icon.png', import.meta.url);
writeFileSync(out, png);
console.log(`wrote ${out.pathname} (${png.length} bytes)`);
