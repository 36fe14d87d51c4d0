// Fails early, with the fix spelled out, when the end-to-end tests have no browser to drive.
import { accessSync, constants } from 'node:fs';

const path = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
try {
  accessSync(path, constants.X_OK);
} catch {
  console.error(
    `No Chromium at ${path}. The end-to-end tests drive a real Chromium.\n` +
      `Install Debian's package (sudo apt-get install chromium) or set CHROMIUM_PATH to a Chromium/Chrome binary.`,
  );
  process.exit(1);
}
