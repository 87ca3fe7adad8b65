import {count} from '../model/count-text.js';
import type {Level} from '../protocol/levels.js';
import type {EntityKind} from '../server/store/types.js';

/** The platform the demo pretends to run (issue 2): two automations with tasks, one pipeline with artifacts. */
export type DemoEntity = {kind: EntityKind; id: string; children: string[]; name: string};

export const DEMO_ENTITIES: DemoEntity[] = [
	{kind: 'automation', id: 'nightly-etl', children: ['extract', 'transform', 'load'], name: 'Nightly ETL'},
	{kind: 'automation', id: 'hourly-sync', children: ['fetch', 'upsert'], name: 'Hourly CRM sync'},
	{kind: 'pipeline', id: 'sales-report', children: ['orders-parquet', 'report-csv'], name: 'Sales report'},
];

export type Random = () => number;

const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
const int = (random: Random, min: number, max: number) => min + Math.floor(random() * (max - min + 1));

const INFO = [
	(r: Random, c: string) => `${c}: processed batch ${int(r, 1, 400)} (${count(int(r, 200, 20_000))} rows)`,
	(r: Random, c: string) => `${c}: wrote ${int(r, 1, 900)} MB to s3://warehouse/${c}/part-${String(int(r, 0, 9999)).padStart(5, '0')}.parquet`,
	(r: Random, c: string) => `${c}: checkpoint saved at offset ${int(r, 10_000, 9_000_000)}`,
	(r: Random) => `Query finished in ${(r() * 4).toFixed(2)}s, ${int(r, 0, 50_000)} rows`,
	(r: Random, c: string) => `${c}: ${int(r, 1, 99)}% complete`,
	(r: Random) => `Uploaded chunk ${int(r, 1, 64)}/64`,
];

const DEBUG = [
	(r: Random) => `Connection pool: ${int(r, 1, 10)}/10 in use`,
	(r: Random) => `GC pause ${int(r, 1, 40)}ms, heap ${int(r, 100, 900)}MB`,
	(r: Random, c: string) => `${c}: cache hit ratio ${(r() * 100).toFixed(1)}%`,
];

const WARN = [
	(r: Random) => `Slow query took ${(2 + r() * 6).toFixed(1)}s (threshold 2s)`,
	(r: Random) => `Retrying request (attempt ${int(r, 2, 4)}/5): ECONNRESET`,
	(r: Random, c: string) => `${c}: ${int(r, 1, 40)} rows skipped: null primary key`,
];

const ERROR = [
	(r: Random) => `Request to crm.internal failed with 503 (attempt ${int(r, 1, 3)}/5)`,
	(r: Random, c: string) => `${c}: could not parse record ${int(r, 1, 100_000)}: unexpected end of input`,
];

export type DemoLine = {level: Level; message: string; stream: string};

/** One ordinary log line: mostly INFO, some DEBUG and WARN, a few ERROR. */
export function demoLine(random: Random, child: string): DemoLine {
	const roll = random();
	const [level, templates]: [Level, typeof INFO] =
		roll < 0.74 ? ['INFO', INFO] : roll < 0.89 ? ['DEBUG', DEBUG] : roll < 0.97 ? ['WARN', WARN] : ['ERROR', ERROR];
	return {level, message: pick(random, templates)(random, child), stream: level === 'ERROR' ? 'stderr' : 'stdout'};
}

/** The multi-line stack trace a failing step ends with. */
export function demoStackTrace(random: Random, child: string): DemoLine {
	const error = pick(random, ['TimeoutError: operation timed out after 30000ms', 'TypeError: Cannot read properties of undefined (reading \'id\')', 'Error: deadlock detected']);
	const frames = [
		`    at ${child}Step.run (/app/steps/${child}.js:${int(random, 10, 300)}:${int(random, 5, 40)})`,
		`    at async Runner.execute (/app/runner.js:${int(random, 50, 200)}:7)`,
		'    at async Promise.all (index 0)',
		`    at async main (/app/index.js:${int(random, 10, 60)}:3)`,
	];
	return {level: 'ERROR', message: `${child} failed: ${error}\n${frames.join('\n')}`, stream: 'stderr'};
}

export const randomInt = int;
