// Unpacks the GPU bench pack into a runtime folder with the carried Node itself (no xz, no npm):
// copies every file, brotli-decompressing those that end in .br. Plain JS: it runs before any bundle.
//   node unpack.mjs <pack dir> <runtime dir>
import { cpSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { brotliDecompressSync } from 'node:zlib';

const [pack, runtime] = process.argv.slice(2);
if (!pack || !runtime) {
  console.error('usage: node unpack.mjs <pack dir> <runtime dir>');
  process.exit(2);
}

function walk(dir, rel = '') {
  for (const name of readdirSync(join(dir, rel))) {
    const path = join(rel, name);
    if (statSync(join(dir, path)).isDirectory()) walk(dir, path);
    else if (path === 'node.gz') continue; // unpacked by the shell: it is the program running this
    else if (path.endsWith('.br')) {
      const target = join(runtime, path.slice(0, -3));
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, brotliDecompressSync(readFileSync(join(dir, path))));
    } else {
      mkdirSync(dirname(join(runtime, path)), { recursive: true });
      cpSync(join(dir, path), join(runtime, path));
    }
  }
}
walk(pack);
console.log(`unpacked ${pack} → ${runtime}`);
