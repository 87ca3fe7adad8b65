import {spawn, type ChildProcess} from 'node:child_process';
import {mkdtempSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import process from 'node:process';
import {fileURLToPath} from 'node:url';
import type {StoredLogRecord} from '../../source/protocol/record.js';

/*
 * The real `dbtail follow <source> --json` (dist/, as `npm test` builds it) in a process of its own, as a
 * user runs it against a balancer: its stdout read as one record per line, its stderr kept for the notices.
 */

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export type FollowProcess = {
	records(): StoredLogRecord[];
	stderr(): string;
	stop(): Promise<void>;
};

const running = new Set<ChildProcess>();
process.once('exit', () => {
	for (const child of running) {child.kill('SIGKILL');}
});

export function startFollow(server: string, source: string, extraArgs: string[] = []): FollowProcess {
	const env: NodeJS.ProcessEnv = {...process.env, NO_COLOR: '1', DBTAIL_SERVER: '', DBTAIL_TOKEN: '', DBTAIL_PROFILE: ''};
	env.DBTAIL_CONFIG_DIR = mkdtempSync(path.join(tmpdir(), 'dbtail-config-'));
	const child = spawn(process.execPath, [path.join(root, 'bin/dbtail.js'), 'follow', source, '--server', server, '--json', ...extraArgs], {
		cwd: root,
		env,
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	running.add(child);
	const records: StoredLogRecord[] = [];
	let carry = '';
	let stderr = '';
	child.stdout!.setEncoding('utf8');
	child.stdout!.on('data', (chunk: string) => {
		const lines = (carry + chunk).split('\n');
		carry = lines.pop()!;
		for (const line of lines) {if (line.trim()) {records.push(JSON.parse(line) as StoredLogRecord);}}
	});
	child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
	const exited = new Promise((resolve) => child.once('exit', resolve));
	return {
		records: () => records,
		stderr: () => stderr,
		async stop() {
			if (child.exitCode === null && child.signalCode === null) {
				child.kill('SIGTERM');
				await exited;
			}

			running.delete(child);
		},
	};
}
