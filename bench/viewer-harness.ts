import {type WriteStream} from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import {ingest} from '../test/helpers/ingest.js';
import {delay, type TmuxControl, TmuxSession} from '../test/helpers/tmux.js';
import {cpuPercent, maxFramesPerSecond, newestStamps, percentile} from './viewer-measures.js';

/*
 * What bench:viewer's two phases (viewer.ts, the flood; viewer-slow.ts, 20 lines/s) measure with: a program
 * in a tmux pane with its writes timestamped, a producer of stamped lines, lag read off the screen, the table's
 * cells, and the cleanups that take every tmux server, viewer and server along whatever happens.
 */

export const root = path.resolve(import.meta.dirname, '..');
export const [WIDTH, HEIGHT] = [160, 48];
export const IDLE_SECONDS = 10;

// Wall clock ms with sub-ms resolution, comparable across processes.
export const now = () => performance.timeOrigin + performance.now();

// A second process timestamps every chunk the pane writes; frames are bursts of chunks closer than 4 ms.
export const FRAME_COUNTER = `const t=()=>performance.timeOrigin+performance.now();process.stdin.on('data',d=>process.stdout.write(t().toFixed(1)+' '+d.length+'\\n'))`;

export type Measured = {
	session: TmuxSession;
	/** Keys and captures through a control-mode client: no tmux process forked per poll on a busy machine. */
	control: TmuxControl;
	pid: number;
	framesFile: string;
	lags: number[];
	/** When each lag sample was taken, for the lag-over-time line. */
	lagTimes: number[];
	cpu: Array<{at: number; ticks: number}>;
	/** The load phase of this program. */
	start: number;
	end: number;
};

export async function capture(measured: Measured): Promise<string> {
	return measured.control.command('capture-pane', '-p', '-t', measured.session.target);
}

/** Polls the screen through the control client until `condition` holds. */
export async function waitForScreen(measured: Measured, condition: (screen: string) => boolean, timeoutMs = 10_000): Promise<string> {
	const deadline = now() + timeoutMs;
	for (;;) {
		const screen = await capture(measured);
		if (condition(screen)) {return screen;}
		if (now() > deadline) {throw new Error(`bench:viewer: timed out waiting for the screen; it was:\n${screen}`);}
		await delay(2);
	}
}

export async function startMeasured(command: string, work: string, name: string): Promise<Measured> {
	const session = await TmuxSession.start({command, width: WIDTH, height: HEIGHT, cwd: root});
	const framesFile = path.join(work, `${name}-frames.txt`);
	await session.pipeOutput(`exec node -e "${FRAME_COUNTER}" > ${framesFile}`);
	// The viewer's output comes through too: the first write holding PAUSED answers a key.
	const control = await session.control({output: name === 'viewer'});
	return {session, control, pid: await session.panePid(), framesFile, lags: [], lagTimes: [], cpu: [], start: 0, end: 0};
}

export const filler = 'lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod';

// Producer: every 50 ms, whatever is due by the clock, one batch per tag, each line stamped with its
// send time. `toServer` false appends the same lines to the baseline's file instead.
export function producer(serverUrl: string, tags: readonly string[], rate: number, runs: Map<string, string>, baselineOut: WriteStream) {
	const sent = new Map<string, number>(tags.map(tag => [tag, 0]));
	const lastStamp = new Map<string, number>();
	const produce = async (toServer: boolean, until: () => boolean) => {
		const start = now();
		let due = 0;
		while (until()) {
			// At most 5,000 a tag a batch (the server takes 10,000): a producer starved for a while catches up over several.
			const perTag = Math.min(5000, Math.floor((Math.floor(((now() - start) / 1000) * rate) - due) / tags.length));
			if (perTag > 0) {
				due += perTag * tags.length;
				await Promise.all(
					tags.map(async tag => {
						const at = Math.round(now());
						const count = toServer ? sent.get(tag)! : 0;
						const lines = Array.from({length: perTag}, (_, index) => `${tag}@${at} n=${count + index + 1} ${filler}`);
						if (!toServer) {
							baselineOut.write(lines.join('\n') + '\n');
							return;
						}

						sent.set(tag, count + perTag);
						lastStamp.set(tag, at);
						await ingest(serverUrl, undefined, runs.get(tag)!, lines).catch(async (error: unknown) => {
							// A pooled keep-alive connection the server closed while idle: nothing was sent, send again.
							if ((error as {cause?: {code?: string}}).cause?.code !== 'EPIPE') {throw error;}
							await ingest(serverUrl, undefined, runs.get(tag)!, lines);
						});
					}),
				);
			}

			await delay(50);
		}
	};

	return {sent, lastStamp, produce};
}

export async function sampleLag(measured: Measured, until: () => boolean): Promise<void> {
	while (until()) {
		const screen = await capture(measured);
		const at = now();
		// A paused pane shows old lines on purpose (the key-latency presses): not lag.
		if (!screen.includes('PAUSED')) {
			for (const stamp of newestStamps(screen).values()) {
				measured.lags.push(at - stamp);
				measured.lagTimes.push(at);
			}
		}

		await delay(100);
	}
}

export const row = (name: string, viewerValue: string, baselineValue: string, target = '') =>
	`${name.padEnd(30)}${viewerValue.padEnd(32)}${baselineValue.padEnd(32)}${target}`;
export const ms = (value: number) => `${Math.round(value)} ms`;
export const lagText = (lags: number[]) => `${ms(percentile(lags, 50))} / ${ms(percentile(lags, 99))} / ${ms(Math.max(...lags))}`;
export const mb = (value: {rss: number; hwm: number}) => `${value.rss.toFixed(0)} / ${value.hwm.toFixed(0)} MB`;
export const pct = (value: number) => `${value.toFixed(1)} %`;
export const fps = (measured: Measured) => String(maxFramesPerSecond(measured.framesFile, measured.start, measured.end));
export const load = (measured: Measured) => pct(cpuPercent(measured.cpu, measured.start, measured.end));

export const cleanups: Array<() => Promise<unknown> | unknown> = [];
export async function cleanup(): Promise<void> {
	for (const step of cleanups.reverse()) {await Promise.resolve(step()).catch(() => undefined);}
	cleanups.length = 0;
}

// Whatever happens (over budget, Ctrl-C, a failed request in a loop), the bench ends and takes its
// tmux servers, viewer and server with it.
export function abort(why: unknown): void {
	process.stderr.write(`bench:viewer: stopping: ${why instanceof Error ? (why.stack ?? why.message) : String(why)}\n`);
	void cleanup().then(() => process.exit(1));
}

/** CPU of `measured` from `from` to `to`, as a table cell. */
export const cpuBetween = (measured: Measured, from: number, to: number) => pct(cpuPercent(measured.cpu, from, to));
