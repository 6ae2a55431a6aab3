/** Runs the load generator in a child process and reads its result. */
import { spawn } from 'node:child_process';
import { rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LoadResult, LoadSpec } from './load-generator.js';

export type { LoadResult, LoadSpec };

const generator = fileURLToPath(new URL('./load-generator.js', import.meta.url));

export async function runLoad(spec: LoadSpec): Promise<LoadResult> {
  const file = join(tmpdir(), `cdr-bench-load-${process.pid}-${Date.now()}.json`);
  await writeFile(file, JSON.stringify(spec));
  try {
    return await new Promise<LoadResult>((resolve, reject) => {
      const child = spawn(process.execPath, [generator, file], { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      let err = '';
      child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
      child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')));
      child.on('error', reject);
      child.on('exit', (code) => {
        if (code !== 0) {
          reject(new Error(`the load generator exited with ${code}: ${err}`));
          return;
        }
        try {
          resolve(JSON.parse(out.trim().split('\n').pop() as string) as LoadResult);
        } catch (error) {
          reject(new Error(`unreadable load generator output: ${out}\n${err}`, { cause: error }));
        }
      });
    });
  } finally {
    await rm(file, { force: true });
  }
}
