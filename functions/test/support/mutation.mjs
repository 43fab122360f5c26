// npm run test:mutation: Stryker (stryker.config.json, with any arguments given, e.g. --force or
// --mutate) prints the score per file; then this prints the score per layer against its target
// (docs/testing.md) and fails the run when a layer falls short.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const stryker = spawnSync('npx', ['stryker', 'run', ...process.argv.slice(2)], { stdio: 'inherit' });
if (stryker.status !== 0) process.exit(stryker.status ?? 1);

const REPORT = 'reports/mutation/mutation.json';
const TARGETS = { 'functions/src/domain/': 85, 'functions/src/app/': 70 };
const DETECTED = new Set(['Killed', 'Timeout']);
const UNDETECTED = new Set(['Survived', 'NoCoverage']);

const { files } = JSON.parse(readFileSync(REPORT, 'utf8'));
let short = false;
for (const [folder, target] of Object.entries(TARGETS)) {
  const mutants = Object.entries(files)
    .filter(([path]) => path.replaceAll('\\', '/').includes(folder))
    .flatMap(([, file]) => file.mutants);
  const detected = mutants.filter((mutant) => DETECTED.has(mutant.status)).length;
  const counted = detected + mutants.filter((mutant) => UNDETECTED.has(mutant.status)).length;
  if (counted === 0) continue; // a run over one layer (--mutate) says nothing of the other
  const score = (100 * detected) / counted;
  const verdict = score >= target ? 'meets' : 'BELOW';
  if (score < target) short = true;
  console.log(`${folder}: ${score.toFixed(1)} % (${detected} of ${counted} mutants detected), ${verdict} its target of ${target} %`);
}
process.exit(short ? 1 : 0);
