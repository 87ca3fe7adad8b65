import {spawn, type ChildProcess} from 'node:child_process';
import path from 'node:path';
import process from 'node:process';
import {fileURLToPath} from 'node:url';

/*
 * Runs the real CLI (`node bin/dbtail.js serve`) as a child process, for tests that kill -9 and restart a
 * server or need it in another process. It runs dist/, so `npm run build` must have run (npm test does).
 */

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const LISTENING = /dbtail server listening on (http:\/\/\S+)/;

export type ServeProcess = {
	url: string;
	port: number;
	process: ChildProcess;
	/** Sends `signal` (default SIGTERM) and resolves with the exit code (null when killed by a signal). */
	stop(signal?: NodeJS.Signals): Promise<number | null>;
	/** Everything the process wrote to stdout and stderr so far. */
	output(): string;
};

export type ServeProcessOptions = {
	/** Milliseconds to wait for the listening line (default 15 s). */
	timeoutMs?: number;
	env?: NodeJS.ProcessEnv;
	/** Port to ask for (default 0, an ephemeral one); a restart can pass the old port to keep the URL. */
	port?: number;
};

const running = new Set<ChildProcess>();
// A failed test must not leave servers behind: whatever is still running dies with the test worker.
process.once('exit', () => {
	for (const child of running) {
		child.kill('SIGKILL');
	}
});

export async function startServeProcess(
	dbPath: string,
	extraArgs: string[] = [],
	options: ServeProcessOptions = {},
): Promise<ServeProcess> {
	const args = [
		path.join(root, 'bin/dbtail.js'),
		'serve',
		'--port',
		String(options.port ?? 0),
		'--db',
		dbPath,
		...extraArgs,
	];
	const child = spawn(process.execPath, args, {
		cwd: root,
		env: {...process.env, ...options.env},
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	running.add(child);
	let output = '';
	const exited = new Promise<number | null>((resolve) => {
		child.once('exit', (code) => {
			running.delete(child);
			resolve(code);
		});
	});

	const url = await new Promise<string>((resolve, reject) => {
		const timer = setTimeout(() => {
			child.kill('SIGKILL');
			reject(new Error(`dbtail serve did not start within ${options.timeoutMs ?? 15_000} ms:\n${output}`));
		}, options.timeoutMs ?? 15_000);
		const onData = (chunk: Buffer) => {
			output += chunk.toString('utf8');
			const match = LISTENING.exec(output);
			if (match) {
				clearTimeout(timer);
				resolve(match[1]!);
			}
		};

		child.stdout!.on('data', onData);
		child.stderr!.on('data', onData);
		void exited.then((code) => {
			clearTimeout(timer);
			reject(new Error(`dbtail serve exited with ${code} before listening:\n${output}`));
		});
	});

	return {
		url,
		port: Number(new URL(url).port),
		process: child,
		async stop(signal: NodeJS.Signals = 'SIGTERM') {
			if (child.exitCode !== null || child.signalCode !== null) {
				return child.exitCode;
			}

			child.kill(signal);
			// A server that ignores the signal for 10 s is a failure the test should see, not a hang.
			const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
			const code = await exited;
			clearTimeout(timer);
			return code;
		},
		output: () => output,
	};
}
