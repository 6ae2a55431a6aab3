/**
 * The CDR as the benchmark measures it: `packages/server/dist/main.js` in a process of its
 * own, on the benchmark's database, without authentication (loopback) or rate limits,
 * request logs off (warn level), everything else as configured by default.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

const mainJs = fileURLToPath(new URL('../../../server/dist/main.js', import.meta.url));

export interface CdrProcess {
  readonly url: string;
  readonly pid: number;
  /** CPU time the process has used so far, in ms (Linux /proc). */
  cpuMs(): Promise<number>;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (address && typeof address === 'object' ? resolve(address.port) : reject(new Error('no free port'))));
    });
  });
}

/** utime + stime of a process in ms (clock ticks of 10 ms). */
export async function processCpuMs(pid: number): Promise<number> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return Number.NaN;
  }
}

export async function startCdrProcess(databaseUrl: string, systemId: string): Promise<CdrProcess> {
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, [mainJs], {
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      CDR_PORT: String(port),
      CDR_HOST: '127.0.0.1',
      CDR_AUTH: 'off',
      CDR_RATE_LIMIT_PER_MINUTE: '0',
      CDR_LOG_LEVEL: 'warn',
      CDR_SYSTEM_ID: systemId,
      CDR_LOAD_DEFAULT_TEMPLATES: 'true',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let errors = '';
  child.stderr?.on('data', (chunk: Buffer) => (errors += chunk.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    const early = await Promise.race([exited, new Promise<'waiting'>((r) => setTimeout(() => r('waiting'), 200))]);
    if (early !== 'waiting') {
      throw new Error(`the CDR exited (${early}) before it was ready: ${errors}`);
    }
    try {
      const ready = await fetch(`${url}/ready`);
      if (ready.ok) {
        break;
      }
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the CDR was not ready within 60 s: ${errors}`);
    }
  }
  return {
    url,
    pid: child.pid as number,
    cpuMs: () => processCpuMs(child.pid as number),
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}
