import { deflateSync } from 'node:zlib';
import type { DemoImage } from '../agent';

/**
 * The demo's pictures, drawn in code so the repository carries no binaries and the demo needs no
 * network: a cup of tea seen from above, in the colour of each tea. PNG, because WhatsApp takes
 * JPEG and PNG images only (an SVG would be refused by the real API).
 */
const WIDTH = 240;
const HEIGHT = 160;

type Rgb = readonly [number, number, number];

const PALETTE: Record<DemoImage, { background: Rgb; tea: Rgb }> = {
  'green-tea': { background: [232, 245, 233], tea: [124, 179, 66] },
  oolong: { background: [255, 243, 224], tea: [191, 138, 48] },
  rooibos: { background: [251, 233, 231], tea: [183, 65, 14] },
  'tea-room': { background: [236, 239, 241], tea: [109, 76, 65] },
};

/** Whether `name` is one of the pictures. */
export function isDemoImage(name: string): name is DemoImage {
  return Object.hasOwn(PALETTE, name);
}

const cache = new Map<DemoImage, Buffer>();

/** The PNG bytes of a picture. */
export function demoImagePng(name: DemoImage): Buffer {
  let png = cache.get(name);
  if (!png) {
    png = drawCup(PALETTE[name]);
    cache.set(name, png);
  }
  return png;
}

function drawCup({ background, tea }: { background: Rgb; tea: Rgb }): Buffer {
  const cup: Rgb = [255, 255, 255];
  const rim: Rgb = [200, 200, 200];
  const [cx, cy] = [WIDTH / 2, HEIGHT / 2];
  // Each row starts with its filter type byte (0: none).
  const rows = Buffer.alloc((WIDTH * 3 + 1) * HEIGHT);
  for (let y = 0; y < HEIGHT; y += 1) {
    const row = y * (WIDTH * 3 + 1);
    for (let x = 0; x < WIDTH; x += 1) {
      const distance = Math.hypot(x - cx, y - cy);
      const handle = x > cx + 52 && x < cx + 78 && Math.abs(y - cy) < 12;
      const colour =
        distance < 42 ? tea : distance < 50 ? cup : distance < 53 || handle ? rim : background;
      rows.set(colour, row + 1 + x * 3);
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(WIDTH, 0);
  header.writeUInt32BE(HEIGHT, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB, no interlace
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

/** CRC-32 as PNG chunks need it (node:zlib has `crc32` only from Node 22). */
function crc32(bytes: Buffer): number {
  let c = 0xffffffff;
  for (const byte of bytes) c = (CRC_TABLE[(c ^ byte) & 0xff] as number) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
