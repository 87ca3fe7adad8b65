import {describe, expect, it} from 'vitest';
import {createRun, ingest} from '../helpers/ingest.js';
import {useServerFixture} from '../server/server-fixture.js';
import {runCli, tempConfigDir} from './run-cli.js';

/*
 * `dbtail follow all` mixes every automation and pipeline: each line says whose it is, as the viewer's
 * pane on `all` does ([nightly-etl/load]). A real server, the real CLI.
 */

describe('dbtail follow all', () => {
	const fixture = useServerFixture();

	it('prefixes each line with its automation or pipeline, and a stream of one entity stays as it was', async () => {
		const server = await fixture().start();
		const etl = await createRun(server.url, undefined, {automationId: 'nightly-etl'});
		const report = await createRun(server.url, undefined, {pipelineId: 'sales-report'});
		await ingest(server.url, undefined, etl, [{level: 'INFO', message: 'loading', taskId: 'load'}]);
		await ingest(server.url, undefined, report, [{level: 'WARN', message: 'late', artifactId: 'report-csv'}, 'built']);

		const env = {DBTAIL_CONFIG_DIR: tempConfigDir()};
		const all = runCli(['follow', 'all', '--server', server.url, '--tail', '10', '--timestamps', 'none', '--filter', '^\\[sales-report|loading'], {env});
		await all.waitForStdout((text) => text.split('\n').length > 3);
		all.child.kill('SIGINT');
		expect(await all.exited, all.stderr()).toBe(130);
		expect(all.stdout()).toBe('INFO  [nightly-etl/load] loading\nWARN  [sales-report/report-csv] late\nINFO  [sales-report] built\n');

		const one = runCli(['follow', 'automation/nightly-etl', '--server', server.url, '--timestamps', 'none'], {env});
		await one.waitForStdout((text) => text.includes('\n'));
		one.child.kill('SIGINT');
		expect(await one.exited, one.stderr()).toBe(130);
		expect(one.stdout()).toBe('INFO  [load] loading\n');
	});
});
