import {execFile, spawn, type ChildProcessWithoutNullStreams} from 'node:child_process';
import {EventEmitter} from 'node:events';
import {randomBytes} from 'node:crypto';
import {rm} from 'node:fs/promises';
import path from 'node:path';
import process from 'node:process';
import {promisify} from 'node:util';

/*
 * Drives a real terminal: a detached tmux session on a private socket (`tmux -L`), so tests and benches
 * never touch a user's tmux. Keys go in with send-keys, the screen comes out with capture-pane, and every
 * wait polls the screen until a condition holds or a deadline passes (no fixed sleeps).
 */

const run = promisify(execFile);

export type TmuxOptions = {
	/** A shell command line, run by tmux's default shell (`sh -c`). Use `exec` to make it the pane's process. */
	command: string;
	width?: number;
	height?: number;
	cwd?: string;
	/** Extra environment for the command (tmux's own environment is inherited too). */
	env?: Record<string, string>;
};

export type CaptureOptions = {
	/** Keep colors and attributes as SGR escapes (`capture-pane -e`). */
	escapes?: boolean;
};

export type WaitOptions = {
	timeoutMs?: number;
	/** Poll interval; capture-pane costs a few ms, so 20 to 50 ms keeps the machine free for the program. */
	intervalMs?: number;
	escapes?: boolean;
};

export class TmuxTimeoutError extends Error {
	constructor(
		what: string,
		readonly screen: string,
	) {
		super(`timed out waiting for ${what}; the screen was:\n${screen}`);
		this.name = 'TmuxTimeoutError';
	}
}

export class TmuxSession {
	/** Starts `command` in a new detached session of `width` x `height`, with no tmux status line. */
	static async start(options: TmuxOptions): Promise<TmuxSession> {
		const socket = `dbtail-${process.pid}-${randomBytes(4).toString('hex')}`;
		const session = new TmuxSession(socket, 'main:0.0');
		const environment = Object.entries(options.env ?? {}).flatMap(([key, value]) => ['-e', `${key}=${value}`]);
		// Options are set before the session exists, so a command that exits at once still leaves its
		// pane (remain-on-exit) for the test to read, and the pane gets every row (status off). The empty
		// remain-on-exit-format matters: tmux 3.3 otherwise prints "Pane is dead" on the last row, which
		// scrolls the screen a test wants to read after the program quit.
		await session.tmux(
			'start-server',
			';',
			'set-option',
			'-g',
			'remain-on-exit',
			'on',
			';',
			'set-option',
			'-g',
			'remain-on-exit-format',
			'',
			';',
			'set-option',
			'-g',
			'status',
			'off',
			';',
			'set-option',
			'-g',
			'history-limit',
			'5000',
			';',
			'new-session',
			'-d',
			'-s',
			'main',
			'-x',
			String(options.width ?? 80),
			'-y',
			String(options.height ?? 24),
			...(options.cwd ? ['-c', options.cwd] : []),
			...environment,
			options.command,
		);
		return session;
	}

	#closed = false;

	private constructor(
		readonly socket: string,
		readonly target: string,
	) {}

	/** Runs one tmux command on this session's private server. */
	async tmux(...args: string[]): Promise<string> {
		// `-f /dev/null`: a user's ~/.tmux.conf must not change what tests see. UTF-8 forced for the same reason.
		const {stdout} = await run('tmux', ['-u', '-L', this.socket, '-f', '/dev/null', ...args], {
			env: {...process.env, LC_ALL: 'C.UTF-8'},
			maxBuffer: 16 * 1024 * 1024,
		});
		return stdout;
	}

	/** Named keys as tmux spells them: `Enter`, `Escape`, `Space`, `Tab`, `BTab`, `C-c`, `PageUp`, `q`. */
	async sendKeys(...keys: string[]): Promise<void> {
		await this.tmux('send-keys', '-t', this.target, ...keys);
	}

	/** Text typed as is, character by character (no key-name lookup). */
	async type(text: string): Promise<void> {
		await this.tmux('send-keys', '-t', this.target, '-l', text);
	}

	/** The visible screen, one string with a newline after each row. */
	async capture(options: CaptureOptions = {}): Promise<string> {
		return this.tmux('capture-pane', '-p', '-t', this.target, ...(options.escapes ? ['-e'] : []));
	}

	/** Polls the screen until `condition` holds; returns the screen that satisfied it. */
	async waitFor(
		condition: RegExp | string | ((screen: string) => boolean),
		options: WaitOptions = {},
	): Promise<string> {
		const test =
			typeof condition === 'function'
				? condition
				: typeof condition === 'string'
					? (screen: string) => screen.includes(condition)
					: (screen: string) => condition.test(screen);
		const what = typeof condition === 'function' ? 'a screen condition' : String(condition);
		const deadline = Date.now() + (options.timeoutMs ?? 10_000);
		for (;;) {
			const screen = await this.capture({escapes: options.escapes});
			if (test(screen)) {
				return screen;
			}

			if (Date.now() >= deadline) {
				throw new TmuxTimeoutError(what, screen);
			}

			await delay(options.intervalMs ?? 25);
		}
	}

	/**
	 * Polls until the pane's process has exited (the pane stays, remain-on-exit). tmux 3.3 does not always
	 * learn the exit status (#{pane_dead_status} stays empty now and then), so a test that needs it runs
	 * `cmd; echo "exited $?"` and reads the screen.
	 */
	async waitForExit(options: WaitOptions = {}): Promise<void> {
		const deadline = Date.now() + (options.timeoutMs ?? 10_000);
		while (!(await this.isDead())) {
			if (Date.now() >= deadline) {
				throw new TmuxTimeoutError('the pane process to exit', await this.capture());
			}

			await delay(options.intervalMs ?? 25);
		}
	}

	async isDead(): Promise<boolean> {
		return (await this.format('#{pane_dead}')) === '1';
	}

	/** The pid of the pane's process: the program itself when the command starts with `exec`. */
	async panePid(): Promise<number> {
		return Number(await this.format('#{pane_pid}'));
	}

	async resize(width: number, height: number): Promise<void> {
		await this.tmux('resize-window', '-t', this.target, '-x', String(width), '-y', String(height));
	}

	/** Copies everything the program writes to the terminal into `shellCommand`'s stdin (`pipe-pane -O`). */
	async pipeOutput(shellCommand: string): Promise<void> {
		await this.tmux('pipe-pane', '-O', '-t', this.target, shellCommand);
	}

	/**
	 * A control-mode client (`tmux -C`) on this session: commands without forking a tmux client each time,
	 * and the pane's output as it is written. It ignores its own size, so the pane keeps its geometry.
	 */
	async control(options: {output?: boolean} = {}): Promise<TmuxControl> {
		const flags = options.output ? 'ignore-size' : 'ignore-size,no-output';
		const child = spawn('tmux', ['-u', '-L', this.socket, '-f', '/dev/null', '-C', 'attach-session', '-f', flags, '-t', 'main'], {
			env: {...process.env, LC_ALL: 'C.UTF-8'},
		});
		const control = new TmuxControl(child);
		await control.command('display-message', '-p', 'ready');
		return control;
	}

	async format(format: string): Promise<string> {
		return (await this.tmux('display-message', '-p', '-t', this.target, format)).trimEnd();
	}

	/** Ends the session's tmux server and with it the pane's process (SIGHUP). Safe to call twice. */
	async kill(): Promise<void> {
		if (this.#closed) {
			return;
		}

		this.#closed = true;
		try {
			await this.tmux('kill-server');
		} catch {
			// Already gone: the server exits by itself when its last session ends.
		}

		// tmux leaves its socket file behind; a test run must not litter /tmp with them.
		const directory = path.join(process.env['TMUX_TMPDIR'] ?? '/tmp', `tmux-${process.getuid?.() ?? 0}`);
		await rm(path.join(directory, this.socket), {force: true});
	}
}

/**
 * One tmux control-mode connection. Command answers come between `%begin` and `%end` (or `%error`) lines
 * in the order the commands were sent; `%output %<pane> <text>` notifications come between them and are
 * emitted as `output` events with their arrival time.
 */
export class TmuxControl extends EventEmitter<{output: [text: string, at: number]}> {
	readonly #pending: Array<{resolve: (text: string) => void; reject: (error: Error) => void}> = [];
	#block: string[] | undefined;
	#buffered = '';

	readonly #child: ChildProcessWithoutNullStreams;

	constructor(child: ChildProcessWithoutNullStreams) {
		super();
		this.#child = child;
		child.stdout.setEncoding('utf8');
		child.stdout.on('data', (chunk: string) => {
			const at = performance.timeOrigin + performance.now();
			const lines = (this.#buffered + chunk).split('\n');
			this.#buffered = lines.pop()!;
			for (const line of lines) {this.#line(line, at);}
		});
		child.once('exit', () => {
			for (const waiter of this.#pending.splice(0)) {waiter.reject(new Error('tmux control client exited'));}
		});
	}

	/** Runs one command; arguments are single-quoted for tmux's parser, so none may hold a quote or newline. */
	async command(...args: string[]): Promise<string> {
		if (args.some(arg => /['\n]/.test(arg))) {throw new Error(`cannot quote ${JSON.stringify(args)} for tmux control mode`);}
		return new Promise<string>((resolve, reject) => {
			this.#pending.push({resolve, reject});
			this.#child.stdin.write(`${args.map(arg => `'${arg}'`).join(' ')}\n`);
		});
	}

	close(): void {
		this.#child.stdin.end();
		this.#child.kill();
	}

	#line(line: string, at: number): void {
		if (this.#block) {
			if (line.startsWith('%end ') || line.startsWith('%error ')) {
				const waiter = this.#pending.shift();
				const text = this.#block.join('\n');
				this.#block = undefined;
				if (line.startsWith('%end ')) {waiter?.resolve(text);}
				else {waiter?.reject(new Error(`tmux: ${text}`));}
			} else {
				this.#block.push(line);
			}
		} else if (line.startsWith('%begin ')) {
			// Flags 1: a command this client sent; 0: the attach itself, which no one waits for.
			this.#block = line.split(' ')[3] === '1' ? [] : undefined;
		} else if (line.startsWith('%output ')) {
			this.emit('output', line.slice(line.indexOf(' ', 8) + 1), at);
		}
	}
}

export async function delay(ms: number): Promise<void> {
	await new Promise<void>(resolve => {
		setTimeout(resolve, ms);
	});
}

/** Screen text without trailing blanks on each row, for readable assertions. */
export function trimScreen(screen: string): string {
	return screen
		.split('\n')
		.map(line => line.trimEnd())
		.join('\n')
		.trimEnd();
}
