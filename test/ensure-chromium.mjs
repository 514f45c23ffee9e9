// Makes sure Debian's Chromium is at /usr/bin/chromium before the browser tests run. As root on a
// Debian-like system it installs the `chromium` package with apt; otherwise it says what to do.
// It never downloads a browser build of its own.
import { execSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
if (existsSync(PATH)) process.exit(0);

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const hasApt = existsSync('/usr/bin/apt-get');
if (isRoot && hasApt) {
  console.log(`Chromium is missing at ${PATH}: installing Debian's chromium package…`);
  execSync('apt-get update && apt-get install -y chromium', {
    stdio: 'inherit',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  if (existsSync(PATH)) process.exit(0);
  console.error(`apt installed chromium but ${PATH} is still missing.`);
  process.exit(1);
}
console.error(
  `The browser tests need Chromium at ${PATH}.\n` +
    `Install it with: sudo apt-get update && sudo apt-get install -y chromium\n` +
    `(or set CHROMIUM_PATH to a Chromium 113+ binary with WebGPU).`,
);
process.exit(1);
