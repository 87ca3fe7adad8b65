import {spawn, type ChildProcess} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import process from 'node:process';
import {fileURLToPath} from 'node:url';
import {Waiters} from '../client/waiters.js';

/* Runs the built CLI (`node bin/dbtail.js ...`) as users do; `npm test` builds dist/ first. */

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export type CliRun = {
	child: ChildProcess;
	stdout(): string;
	stderr(): string;
	/** Resolves with the exit code (or 128 + signal number style null when killed). */
	exited: Promise<number | null>;
	/** Resolves once stdout satisfies `test`; rejects after `ms`. */
	waitForStdout(test: (text: string) => boolean, ms?: number): Promise<void>;
	waitForStderr(test: (text: string) => boolean, ms?: number): Promise<void>;
};

const children = new Set<ChildProcess>();
process.once('exit', () => {
	for (const child of children) {
		child.kill('SIGKILL');
	}
});

/** A fresh, empty config directory so no developer's profile leaks into a test. */
export function tempConfigDir(): string {
	return fs.mkdtempSync(path.join(os.tmpdir(), 'dbtail-config-'));
}

export function runCli(args: string[], options: {env?: NodeJS.ProcessEnv; input?: string} = {}): CliRun {
	const env: NodeJS.ProcessEnv = {...process.env, NO_COLOR: '1', DBTAIL_SERVER: '', DBTAIL_TOKEN: '', DBTAIL_PROFILE: '', ...options.env};
	delete env.FORCE_COLOR;
	const child = spawn(process.execPath, [path.join(root, 'bin/dbtail.js'), ...args], {cwd: root, env, stdio: 'pipe'});
	children.add(child);
	let stdout = '';
	let stderr = '';
	const waiters = new Waiters();
	child.stdout.on('data', (chunk: Buffer) => {
		stdout += chunk.toString('utf8');
		waiters.check();
	});
	child.stderr.on('data', (chunk: Buffer) => {
		stderr += chunk.toString('utf8');
		waiters.check();
	});
	child.stdin.end(options.input ?? '');
	const waitFor = async (test: () => boolean, ms = 15_000) =>
		waiters.until(test, ms, () => `output never matched; stdout:\n${stdout}\nstderr:\n${stderr}`);
	const exited = new Promise<number | null>((resolve) => {
		child.once('close', (code) => {
			children.delete(child);
			resolve(code);
		});
	});
	return {
		child,
		stdout: () => stdout,
		stderr: () => stderr,
		exited,
		waitForStdout: async (test, ms) => waitFor(() => test(stdout), ms),
		waitForStderr: async (test, ms) => waitFor(() => test(stderr), ms),
	};
}
