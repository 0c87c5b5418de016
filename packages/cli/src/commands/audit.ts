import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { parseArgs } from 'node:util';
import { type CommandIo, EXIT, write } from '../io.js';

export const AUDIT_HELP = `Usage:
  warden audit verify FILE           verify an audit export (JSON lines; - reads standard input)
  warden audit verify --database-url URL [--org ID]
  warden audit verify --data-dir DIR [--org ID]
                                     verify the audit log stored in a server's database
                                     (stop an embedded server first)

Exit status: 0 when every chain holds, 1 when an entry was altered, removed or reordered
(the message names the first broken entry), 2 for usage errors and unreadable input.
`;

/** `warden audit verify`: checks the hash chain of an audit export or of a server's database. */
export async function auditCommand(args: string[], io: CommandIo): Promise<number> {
  const [action, ...rest] = args;
  if (action !== 'verify') {
    await write(
      action === undefined || action === '--help' || action === '-h' ? io.stdout : io.stderr,
      AUDIT_HELP,
    );
    return action === undefined || action === '--help' || action === '-h' ? EXIT.ok : EXIT.usage;
  }
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: {
      'database-url': { type: 'string' },
      'data-dir': { type: 'string' },
      org: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    await write(io.stdout, AUDIT_HELP);
    return EXIT.ok;
  }
  const sources = [
    positionals.length > 0,
    values['database-url'] !== undefined,
    values['data-dir'] !== undefined,
  ];
  if (sources.filter(Boolean).length !== 1 || positionals.length > 1) {
    await write(
      io.stderr,
      `warden audit verify: give one export FILE, --database-url or --data-dir\n\n${AUDIT_HELP}`,
    );
    return EXIT.usage;
  }
  // Loaded on demand: the server package (database drivers) is only needed by this command.
  const audit = await import('@warden/server/audit');

  if (positionals.length === 1) {
    const file = positionals[0]!;
    let input: Readable;
    if (file === '-') input = io.stdin;
    else {
      input = createReadStream(file, 'utf8');
      const opened = await new Promise<Error | undefined>((resolve) => {
        input.once('error', resolve);
        input.once('readable', () => resolve(undefined));
      });
      if (opened !== undefined) {
        await write(io.stderr, `warden audit verify: cannot read ${file}: ${opened.message}\n`);
        return EXIT.usage;
      }
    }
    let first: { sequence: number } | undefined;
    const entries = audit.parseAuditExport(
      createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY }),
    );
    async function* watch() {
      for await (const entry of entries) {
        first ??= entry;
        yield entry;
      }
    }
    let result: Awaited<ReturnType<typeof audit.verifyAuditChain>>;
    try {
      result = await audit.verifyAuditChain(watch());
    } catch (error) {
      if (error instanceof audit.AuditExportFormatError) {
        await write(io.stderr, `warden audit verify: ${file}: ${error.message}\n`);
        return EXIT.usage;
      }
      throw error;
    }
    return report(
      io,
      file,
      result,
      first !== undefined && first.sequence > 1 ? first.sequence : undefined,
    );
  }

  let db: Awaited<ReturnType<typeof audit.openAuditDatabase>>;
  try {
    db = await audit.openAuditDatabase(
      values['database-url'] !== undefined
        ? { databaseUrl: values['database-url'] }
        : { dataDir: values['data-dir']! },
    );
  } catch (error) {
    await write(
      io.stderr,
      `warden audit verify: cannot open the database: ${(error as Error).message}\n`,
    );
    return EXIT.usage;
  }
  try {
    const results = await audit.verifyStoredAuditLog(
      db,
      values.org === undefined ? {} : { organizationId: values.org },
    );
    if (results.length === 0) {
      await write(io.stdout, 'no audit entries found\n');
      return EXIT.ok;
    }
    let status: number = EXIT.ok;
    for (const { organizationId, result } of results) {
      const code = await report(io, `organisation ${organizationId}`, result, undefined);
      if (code !== EXIT.ok) status = code;
    }
    return status;
  } finally {
    await db.close();
  }
}

async function report(
  io: CommandIo,
  source: string,
  result: Awaited<ReturnType<typeof import('@warden/server/audit').verifyAuditChain>>,
  startsAt: number | undefined,
): Promise<number> {
  if (result.ok) {
    const partial =
      startsAt === undefined
        ? ''
        : ` (an excerpt starting at sequence ${startsAt}: entries before it are not checked)`;
    await write(
      io.stdout,
      `${source}: ${result.entries} entries verified, chain intact${partial}; last hash ${result.lastHash}\n`,
    );
    return EXIT.ok;
  }
  await write(
    io.stderr,
    `${source}: TAMPERED: ${result.message} (${result.entries} entries verified before it)\n`,
  );
  return EXIT.blocked;
}
