/**
 * Regenerates the project's operational templates:
 *
 *   node packages/template/dist/authoring/cli.js           writes templates/*.opt
 *   node packages/template/dist/authoring/cli.js --check   changes nothing; exits 1 when a file is out of date
 *
 * Sources: archetypes/*.yml (archetype facts) and templates/src/*.yml (template descriptions).
 */
import { generateTemplates } from './generate.js';
import { AuthoringError } from './intervals.js';
import { readArchetypeFiles, readCommittedOpts, readTemplateFiles, writeOptFile } from './project-files.js';

function main(args: readonly string[]): number {
  const check = args.includes('--check');
  const generated = generateTemplates(readTemplateFiles(), readArchetypeFiles());
  const committed = readCommittedOpts();
  const stale: string[] = [];
  for (const { fileName, xml } of generated) {
    if (committed.get(fileName) === xml) {
      console.log(`unchanged  templates/${fileName}`);
      continue;
    }
    stale.push(fileName);
    if (!check) {
      writeOptFile(fileName, xml);
      console.log(`written    templates/${fileName}`);
    }
  }
  const orphans = [...committed.keys()].filter((name) => !generated.some((g) => g.fileName === name));
  for (const orphan of orphans) {
    console.log(`no source  templates/${orphan} (no templates/src description generates it)`);
  }
  if (check && (stale.length > 0 || orphans.length > 0)) {
    console.error(`${stale.length} template(s) out of date: ${stale.join(', ')}; run without --check to regenerate`);
    return 1;
  }
  return 0;
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (e) {
  if (e instanceof AuthoringError) {
    console.error(e.message);
    process.exitCode = 1;
  } else {
    throw e;
  }
}
