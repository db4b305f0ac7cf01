#!/usr/bin/env node
/*
 * Writes the logo PNGs Kommo requires (kommo-api.md §9.1; sizes from the legacy structure page:
 * logo_main 400×272, logo_small 108×108, logo_medium 240×84, logo_min 84×84, logo 130×100,
 * logo_dp 174×109). Plain Node, no dependencies: a blue tile with a white "signal" mark
 * (dot + two arcs), anti-aliased by 4×4 supersampling. Run: node widget/tools/make-logos.js
 */
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const zlib = require('node:zlib');

const SIZES = {
  'logo_main.png': [400, 272],
  'logo_small.png': [108, 108],
  'logo_medium.png': [240, 84],
  'logo_min.png': [84, 84],
  'logo.png': [130, 100],
  'logo_dp.png': [174, 109],
};
const BLUE = [76, 139, 247];
const WHITE = [255, 255, 255];
const SAMPLES = 4;

/** Coverage (0..1) of the white mark at (x, y) for a mark centred at (cx, cy) with size s. */
function markAt(x, y, cx, cy, s) {
  // The mark sits in the lower-left of its box; arcs open towards the upper right.
  const ox = cx - s * 0.28;
  const oy = cy + s * 0.28;
  const dx = x - ox;
  const dy = oy - y;
  const r = Math.hypot(dx, dy);
  if (r <= s * 0.11) return 1;
  const inQuadrant = dx >= 0 && dy >= 0;
  if (!inQuadrant) return 0;
  const band = (inner, outer) => r >= inner && r <= outer;
  return band(s * 0.27, s * 0.39) || band(s * 0.53, s * 0.65) ? 1 : 0;
}

function render(width, height) {
  const radius = Math.min(width, height) * 0.16;
  const mark = Math.min(width, height) * 0.62;
  const rows = [];
  for (let y = 0; y < height; y += 1) {
    const row = Buffer.alloc(1 + width * 4);
    row[0] = 0; // filter: none
    for (let x = 0; x < width; x += 1) {
      let tile = 0;
      let white = 0;
      for (let sy = 0; sy < SAMPLES; sy += 1) {
        for (let sx = 0; sx < SAMPLES; sx += 1) {
          const px = x + (sx + 0.5) / SAMPLES;
          const py = y + (sy + 0.5) / SAMPLES;
          if (insideRoundedRect(px, py, width, height, radius)) {
            tile += 1;
            white += markAt(px, py, width / 2, height / 2, mark);
          }
        }
      }
      const n = SAMPLES * SAMPLES;
      const w = tile ? white / tile : 0;
      const offset = 1 + x * 4;
      for (let c = 0; c < 3; c += 1) row[offset + c] = Math.round(BLUE[c] * (1 - w) + WHITE[c] * w);
      row[offset + 3] = Math.round((255 * tile) / n);
    }
    rows.push(row);
  }
  return encodePng(width, height, Buffer.concat(rows));
}

function insideRoundedRect(x, y, width, height, r) {
  const cx = Math.min(Math.max(x, r), width - r);
  const cy = Math.min(Math.max(y, r), height - r);
  return Math.hypot(x - cx, y - cy) <= r;
}

function encodePng(width, height, raw) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // RGBA
  header[10] = 0;
  header[11] = 0;
  header[12] = 0;
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', zlib.deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length, 0);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body) >>> 0, 0);
  return Buffer.concat([length, body, crc]);
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(buffer) {
  let c = 0xffffffff;
  for (const byte of buffer) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

const outDir = path.join(__dirname, '..', 'images');
fs.mkdirSync(outDir, { recursive: true });
for (const [name, [width, height]] of Object.entries(SIZES)) {
  const png = render(width, height);
  fs.writeFileSync(path.join(outDir, name), png);
  process.stdout.write(`${name} ${width}x${height} ${png.length} bytes\n`);
}
