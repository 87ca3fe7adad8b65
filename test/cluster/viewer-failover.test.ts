import {spawnSync} from 'node:child_process';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {startBalancer, BALANCER_KIND, type Balancer} from '../helpers/balancer.js';
import {createRun, ingestOnNewConnection} from '../helpers/ingest.js';
import {startServeProcess, type ServeProcess} from '../helpers/serve-process.js';
import {acquirePostgres, createTestDatabase, pgSuite, releasePostgres, testPostgres, type TestDatabase} from '../helpers/test-postgres.js';
import {TmuxSession} from '../helpers/tmux.js';
import {until} from '../helpers/until.js';

/*
 * The viewer as a user tries it: two instances on PostgreSQL behind the balancer, the full-screen viewer
 * (built dist/, in a private tmux) on the balancer, kill -9 of the instance its pane streams from, and the
 * pane resumes on the other instance: the lines written meanwhile appear, each once, and the status bar
 * says it reconnected.
 */

const postgres = await testPostgres();
const root = path.resolve(import.meta.dirname, '../..');
const tmux = spawnSync('tmux', ['-V']).status === 0;
const name = tmux ? pgSuite(`the viewer through ${BALANCER_KIND}`, postgres) : 'the viewer through a balancer (skipped: tmux is not installed)';

const connections = async (url: string) => {
	try {
		return ((await (await fetch(`${url}/api/stream/status`)).json()) as {connections: number}).connections;
	} catch {
		return 0;
	}
};

describe.skipIf('missing' in postgres || !tmux)(name, () => {
	let database: TestDatabase | undefined;
	let instances: ServeProcess[] = [];
	let balancer: Balancer | undefined;
	let session: TmuxSession | undefined;
	beforeAll(async () => {
		database = await createTestDatabase(await acquirePostgres(), 'viewer');
	});
	afterAll(async () => {
		await session?.kill();
		await balancer?.stop();
		await Promise.all(instances.map(async (instance) => instance.stop('SIGKILL')));
		if (database) {
			await database.drop();
			await releasePostgres();
		}
	});

	it('resumes the pane on the other instance after kill -9 of its own, every line once', async () => {
		instances = await Promise.all([startServeProcess(database!.url, ['--db-pool', '3']), startServeProcess(database!.url, ['--db-pool', '3'])]);
		balancer = await startBalancer(instances.map((instance) => instance.port));
		const runId = await createRun(balancer.url, undefined, {automationId: 'watched'});
		await ingestOnNewConnection(balancer.url, undefined, runId, ['before 1', 'before 2']);
		session = await TmuxSession.start({command: `exec node bin/dbtail.js --server ${balancer.url} automation/watched`, width: 120, height: 30, cwd: root});
		await session.waitFor((screen) => screen.includes('before 2') && screen.includes('live'));
		await until(async () => (await connections(instances[0]!.url)) + (await connections(instances[1]!.url)) === 1, 'the pane to connect');
		const victim = (await connections(instances[0]!.url)) === 1 ? instances[0]! : instances[1]!;
		victim.process.kill('SIGKILL');

		for (let index = 1; index <= 5; index++) {
			// Through the balancer: nginx moves on from the dead instance for new connections.
			await until(async () => {
				try {
					await ingestOnNewConnection(balancer!.url, undefined, runId, [`after ${index}`]);
					return true;
				} catch {
					return false;
				}
			}, `after ${index} to be stored`);
		}

		const screen = await session.waitFor((current) => current.includes('after 5') && /reconnected 1×/.test(current), {timeoutMs: 20_000});
		for (const line of ['before 1', 'before 2', 'after 1', 'after 3', 'after 5']) {
			expect(screen.split('\n').filter((row) => row.includes(line)), line).toHaveLength(1);
		}

		expect(screen).not.toMatch(/missing|lost/i);
	});
});
