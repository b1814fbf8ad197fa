// Start a kneeroot server for one test file: the already built binary, a free port on 127.0.0.1 and a
// temporary data folder (SQLite, migrated on start). Nothing is built here: scripts/e2e builds first.
//
// The binary is $KNEEROOT_BIN if set, else ../target/release/kneeroot (relative to e2e/), else
// ../target/debug/kneeroot.

import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const E2E_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const STARTUP_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 5_000;

/** The kneeroot binary to run. */
export function binaryPath() {
  if (process.env.KNEEROOT_BIN) {
    const bin = resolve(E2E_DIR, process.env.KNEEROOT_BIN);
    if (!existsSync(bin)) throw new Error(`KNEEROOT_BIN=${process.env.KNEEROOT_BIN}: no such file (${bin})`);
    return bin;
  }
  for (const profile of ['release', 'debug']) {
    const bin = join(E2E_DIR, '..', 'target', profile, 'kneeroot');
    if (existsSync(bin)) return bin;
  }
  throw new Error(
    'No kneeroot binary: build it with `cargo build --release -p kneeroot` (scripts/e2e does) or set KNEEROOT_BIN.',
  );
}

/** A TCP port on 127.0.0.1 that was free a moment ago. */
function freePort() {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => ok(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** The environment for the server: ours, less every KNEEROOT_* variable, so that nothing outside the
 * test (a database URL, a settings file) leaks in. */
function serverEnv() {
  const env = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (!k.startsWith('KNEEROOT_')) env[k] = v;
  }
  env.RUST_LOG ??= 'warn';
  return env;
}

/**
 * Start kneeroot. Returns `{ origin, url(path), dataDir, output(), stop() }`. `stop` ends the process
 * (SIGTERM, then SIGKILL) and removes the data folder; it is safe to call twice.
 *
 * @param {{ demo?: boolean, args?: string[] }} [options] `args`: more arguments for `kneeroot serve`.
 */
export async function startServer({ demo = false, args = [] } = {}) {
  const bin = binaryPath();
  let lastError;
  // A port found free can be taken before the server binds it: try a few.
  for (let attempt = 1; attempt <= 3; attempt++) {
    const dataDir = mkdtempSync(join(tmpdir(), 'kneeroot-e2e-'));
    const port = await freePort();
    try {
      return await launch(bin, dataDir, port, demo, args);
    } catch (e) {
      rmSync(dataDir, { recursive: true, force: true });
      lastError = e;
    }
  }
  throw lastError;
}

async function launch(bin, dataDir, port, demo, extra) {
  const args = ['serve', '--data-dir', dataDir, '--bind', `127.0.0.1:${port}`, ...extra];
  if (demo) args.push('--demo');
  const child = spawn(bin, args, { env: serverEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout.on('data', (d) => (log += d));
  child.stderr.on('data', (d) => (log += d));
  let exited = null;
  const exit = new Promise((r) =>
    child.on('exit', (code, signal) => {
      exited = { code, signal };
      r(exited);
    }),
  );
  // If the test process dies without calling stop(), do not leave the server behind.
  const killOnExit = () => child.kill('SIGKILL');
  process.on('exit', killOnExit);

  const origin = `http://127.0.0.1:${port}`;
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    process.off('exit', killOnExit);
    if (!exited) {
      child.kill('SIGTERM');
      const timer = sleep(STOP_TIMEOUT_MS).then(() => 'timeout');
      if ((await Promise.race([exit, timer])) === 'timeout') {
        child.kill('SIGKILL');
        await exit;
      }
    }
    rmSync(dataDir, { recursive: true, force: true });
  };

  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  for (;;) {
    if (exited) {
      await stop();
      throw new Error(`kneeroot exited during start-up (${JSON.stringify(exited)}):\n${log}`);
    }
    try {
      const res = await fetch(`${origin}/healthz`, { signal: AbortSignal.timeout(1000) });
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`kneeroot did not answer ${origin}/healthz within ${STARTUP_TIMEOUT_MS / 1000} s:\n${log}`);
    }
    await sleep(50);
  }

  return {
    origin,
    /** An absolute URL on this server. */
    url: (path = '/') => new URL(path, origin).href,
    dataDir,
    /** Everything the server printed so far. */
    output: () => log,
    stop,
  };
}
