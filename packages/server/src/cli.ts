/**
 * `npm run cdr -- <command>`: operations on a CDR from the command line.
 *
 *   dev-token --sub <id> [--name <text>] [--roles a,b] [--scope "<scopes>"] [--patient <ehr_id>] [--ttl <seconds>]
 *       prints a development access token signed with the key pair in CDR_DATA_DIR
 *       (created on first use) and how to start the server so that it accepts it
 *
 *   import FILE [--batch <lines>] [--workers <n>] [--committer <name>] [--restart] ...
 *       bulk import of an NDJSON file of EHRs and compositions (see import/command.ts),
 *       resumable from its checkpoint
 */
import { join } from 'node:path';
import { readConfig } from './config.js';
import { importCommand } from './import/command.js';
import { DEV_AUDIENCE, DEV_ISSUER, devKeys, signToken } from './security/dev-tokens.js';

function options(args: readonly string[]): Map<string, string> {
  const result = new Map<string, string>();
  for (let i = 0; i < args.length; i += 1) {
    const name = args[i] as string;
    if (!name.startsWith('--')) {
      throw new Error(`unexpected argument '${name}'`);
    }
    const value = args[i + 1];
    if (value === undefined || value.startsWith('--')) {
      throw new Error(`option ${name} needs a value`);
    }
    result.set(name.slice(2), value);
    i += 1;
  }
  return result;
}

async function devToken(args: readonly string[]): Promise<void> {
  const config = readConfig();
  const opts = options(args);
  const sub = opts.get('sub');
  if (!sub) {
    throw new Error('dev-token needs --sub <subject id>');
  }
  const keys = await devKeys(join(config.dataDir, 'dev-keys'));
  const ttl = opts.get('ttl');
  const token = await signToken(keys.privateKey, {
    sub,
    ...(opts.has('name') ? { name: opts.get('name') as string } : {}),
    ...(opts.has('roles') ? { roles: (opts.get('roles') as string).split(',').map((r) => r.trim()).filter(Boolean) } : {}),
    ...(opts.has('scope') ? { scope: opts.get('scope') as string } : {}),
    ...(opts.has('patient') ? { patient: opts.get('patient') as string } : {}),
    ...(ttl ? { ttlSeconds: Number(ttl) } : {}),
  });
  process.stdout.write(`${token}\n`);
  process.stderr.write(
    `\nStart the server so that it accepts development tokens:\n` +
      `  CDR_AUTH=jwt CDR_AUTH_PUBLIC_KEY_FILE=${keys.publicKeyFile} CDR_AUTH_ISSUER=${DEV_ISSUER} CDR_AUTH_AUDIENCE=${DEV_AUDIENCE} npm start\n` +
      `and send the token as: Authorization: Bearer <token>\n`,
  );
}

const COMMANDS: Readonly<Record<string, (args: readonly string[]) => Promise<void>>> = {
  'dev-token': devToken,
  import: importCommand,
};

const [command, ...rest] = process.argv.slice(2);
const run = command ? COMMANDS[command] : undefined;
if (!run) {
  process.stderr.write(`usage: npm run cdr -- <${Object.keys(COMMANDS).join('|')}> [options]\n`);
  process.exit(2);
}
try {
  await run(rest);
} catch (error) {
  process.stderr.write(`${(error as Error).message}\n`);
  process.exit(1);
}
