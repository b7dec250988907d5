// `npm run tlog -- verify <credential file> <proof file>`
// `npm run tlog -- consistency <old checkpoint file> <new checkpoint file> --url <api base>`
// `npm run tlog -- audit --state <file> [--url <api base>]`
// `npm run tlog -- keygen <origin>`: a new log key (TLOG_SIGNING_KEY) and the verifier key to publish
// The log's key: --vkey <vkey> (or TLOG_VKEY); witnesses: --witness <vkey> (repeatable) and --quorum <k> (default: all).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { TlogError, generateNoteKey } from '../tlog/index.js';
import { audit, httpTiles, policyFrom, verifyConsistencyOf, verifyCredentialProof, type AuditState } from '../transparency/auditor.js';

const USAGE = `Usage:
  npm run tlog -- verify <credential file> <proof file> [--vkey <vkey>]
  npm run tlog -- consistency <old checkpoint> <new checkpoint> --url <api base> [--vkey <vkey>]
  npm run tlog -- audit --state <file> [--url <api base>] [--vkey <vkey>]
  npm run tlog -- keygen <origin, e.g. auth.example.com/transparency-log>
Options: --witness <vkey> (repeatable) --quorum <k> (default: every witness named); the log key may come from TLOG_VKEY, else from <url>/tlog/vkey.`;

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    vkey: { type: 'string' },
    url: { type: 'string', default: process.env.TLOG_URL ?? 'http://127.0.0.1:4000' },
    witness: { type: 'string', multiple: true },
    quorum: { type: 'string' },
    state: { type: 'string' },
  },
});

async function logKey(): Promise<string> {
  const given = values.vkey ?? process.env.TLOG_VKEY;
  if (given) return given;
  const res = await fetch(new URL('/tlog/vkey', values.url));
  if (res.status !== 200) throw new Error(`no --vkey given and ${values.url}/tlog/vkey answered ${res.status}`);
  console.error(`note: trusting the log key the service itself serves; pass --vkey to pin it`);
  return (await res.text()).trim();
}

/** A command line the CLI can't run: the message, then the usage. */
class UsageError extends Error {}

/**
 * How many of the named witnesses must have cosigned: all of them unless
 * --quorum says fewer, as the badge widget's data-witness-quorum.
 */
function witnessQuorum(): number {
  const named = values.witness?.length ?? 0;
  if (values.quorum === undefined) return named;
  const quorum = /^[1-9][0-9]*$/.test(values.quorum) ? Number(values.quorum) : NaN;
  if (!(quorum <= named))
    throw new UsageError(`--quorum must be a whole number from 1 to the number of --witness keys given (${named}); got ${values.quorum}`);
  return quorum;
}

async function main(): Promise<number> {
  const [command, ...args] = positionals;
  const quorum = witnessQuorum();
  const policy = () => logKey().then((vkey) => policyFrom({ vkey, witnesses: values.witness, quorum }));
  if (command === 'keygen' && args.length === 1) {
    const { skey, vkey } = generateNoteKey(args[0]!);
    console.log(`TLOG_SIGNING_KEY=${skey}\nTLOG_VKEY=${vkey}`);
    return 0;
  }
  if (command === 'verify' && args.length === 2) {
    const result = verifyCredentialProof(readFileSync(args[0]!, 'utf8'), readFileSync(args[1]!, 'utf8'), await policy());
    console.log(
      `OK: badge ${result.entry.ids.badge} was granted at ${new Date(result.entry.time * 1000).toISOString()}; entry ${result.index} of a log of ${result.size}` +
        (result.cosignatures.length ? `, cosigned by ${result.cosignatures.map((c) => c.name).join(', ')}` : ''),
    );
    return 0;
  }
  if (command === 'consistency' && args.length === 2) {
    await verifyConsistencyOf(readFileSync(args[0]!, 'utf8'), readFileSync(args[1]!, 'utf8'), await policy(), httpTiles(values.url!));
    console.log('OK: the newer checkpoint extends the older one');
    return 0;
  }
  if (command === 'audit' && values.state) {
    const previous = existsSync(values.state) ? (JSON.parse(readFileSync(values.state, 'utf8')) as AuditState) : null;
    const report = await audit(values.url!, await policy(), previous);
    writeFileSync(values.state, JSON.stringify(report.state));
    console.log(`log size ${report.size} (${report.newEntries} new entries since the last audit)`);
    for (const p of report.problems)
      console.log(`PROBLEM ${p.kind}: status list ${p.list} position ${p.index}${p.badge ? ` (badge ${p.badge})` : ''}`);
    if (report.problems.length === 0) console.log('OK: every status change the service publishes is in the log');
    return report.problems.length === 0 ? 0 : 1;
  }
  console.error(USAGE);
  return 2;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof UsageError) {
      console.error(`${error.message}\n\n${USAGE}`);
      process.exit(2);
    }
    const fork = error instanceof TlogError && (error.code === 'FORK' || error.code === 'BAD_PROOF');
    console.error(`${fork ? 'FORK OR BAD PROOF' : 'FAILED'}: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(fork ? 3 : 1);
  },
);
