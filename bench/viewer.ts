import {execFileSync} from 'node:child_process';
import {createWriteStream, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {availableParallelism, tmpdir} from 'node:os';
import path from 'node:path';
import process from 'node:process';
import {pathToFileURL} from 'node:url';
import {createRun} from '../test/helpers/ingest.js';
import {type ServeProcess, startServeProcess} from '../test/helpers/serve-process.js';
import {delay} from '../test/helpers/tmux.js';
import {abort, capture, cleanup, cleanups, fps, HEIGHT, IDLE_SECONDS, lagText, load, mb, ms, now, pct, producer, root, row, sampleLag, startMeasured, waitForScreen, WIDTH, type Measured} from './viewer-harness.js';
import {cpuPercent, cpuTicks, heapSplit, machineTicks, memory, MEMORY_PROBE, newestStamps, percentile} from './viewer-measures.js';
import {slow} from './viewer-slow.js';

/*
 * `npm run bench:viewer`: the real viewer (built dist/) in a tmux pane, fed by a real `dbtail serve`
 * process that a producer fills over HTTP, measured only from outside: what tmux shows, what the pane
 * writes (pipe-pane, control mode), and /proc. A baseline, `tail -F` of a file the producer appends the
 * same lines to, goes through the same measurements in a second tmux pane in the same run, just before
 * the viewer's turn (at the same time, its flood of terminal output would slow the viewer's tmux), and the
 * load of the whole machine is printed beside both. BENCH_RATE and BENCH_SECONDS change the load;
 * BENCH_MERGED=1 measures the viewer with the merged view (`M`) open over its panes the whole run.
 * Then a slow phase: a fresh viewer (default flags) on two panes at BENCH_SLOW_RATE lines/s (20), idle
 * before and after, and paused, beside `tail -F` of the same lines at the same time (at this rate the two
 * do not compete), its running span in two halves (the first while V8 still compiles); BENCH_SLOW_ONLY=1
 * runs only that, BENCH_SLOW_SECONDS its running span, BENCH_NODE_FLAGS are node's flags for its viewer.
 */

const RATE = Number(process.env.BENCH_RATE ?? 20_000); // Lines per second, all panes together.
const SECONDS = Number(process.env.BENCH_SECONDS ?? 30);
const MERGED = process.env.BENCH_MERGED === '1';
const BASELINE_SECONDS = 10;
const SCROLLBACK = 100_000;
const TAGS = ['a', 'b', 'c'] as const;
const KEY_PRESSES = 20;
const SLOW_ONLY = process.env.BENCH_SLOW_ONLY === '1';

process.once('SIGINT', () => abort('interrupted'));
process.once('unhandledRejection', abort);

/** The flood: three panes at RATE lines/s with full scrollbacks, keys, then idle; beside `tail -F` of the same lines. */
async function flood(server: ServeProcess, work: string): Promise<void> {
	const runs = new Map<string, string>();
	for (const tag of TAGS) {
		runs.set(tag, await createRun(server.url, undefined, {automationId: `bench-${tag}`, name: 'bench'}));
	}

	const baselineFile = path.join(work, 'baseline.log');
	const baselineOut = createWriteStream(baselineFile);
	cleanups.push(() => baselineOut.close());
	baselineOut.write('');
	const sources = TAGS.map(tag => `automation/bench-${tag}`).join(' ');
	// The viewer's heap is asked for through a probe loaded before it (it answers SIGUSR2, nothing else).
	const probe = path.join(work, 'memory-probe.mjs');
	const memoryFile = path.join(work, 'memory.json');
	writeFileSync(probe, MEMORY_PROBE);
	const viewer = await startMeasured(
		`exec env BENCH_MEMORY_FILE=${memoryFile} node --import ${pathToFileURL(probe).href} bin/dbtail.js --server ${server.url} --scrollback ${SCROLLBACK} ${sources}`,
		work,
		'viewer',
	);
	cleanups.push(() => viewer.session.kill(), () => viewer.control.close());
	const baseline = await startMeasured(`exec tail -n 0 -F ${baselineFile}`, work, 'baseline');
	cleanups.push(() => baseline.session.kill(), () => baseline.control.close());
	await viewer.session.waitFor('bench-c', {timeoutMs: 15_000});
	if (MERGED) {
		// Every frame of the run draws the merged view; Space pauses it (its title says PAUSED).
		await viewer.session.sendKeys('M');
		await viewer.session.waitFor('M merged: 3 panes', {timeoutMs: 15_000});
	}

	const {sent, lastStamp, produce} = producer(server.url, TAGS, RATE, runs, baselineOut);

	// The rest of the machine, to tell a slow viewer from a starved one: the server, this process, all cores.
	const context: Array<{at: number; server: number; self: number; busy: number; total: number}> = [];
	const sampleCpu = setInterval(() => {
		for (const measured of [viewer, baseline]) {measured.cpu.push({at: now(), ticks: cpuTicks(measured.pid)});}
		const {user, system} = process.cpuUsage();
		context.push({at: now(), server: cpuTicks(server.process.pid!), self: (user + system) / 10_000, ...machineTicks()});
	}, 250);
	cleanups.push(() => clearInterval(sampleCpu));

	// One after the other, so the baseline's flood of terminal output does not slow the viewer's tmux.
	process.stderr.write(`bench:viewer: baseline, ${RATE} lines/s for ${BASELINE_SECONDS} s ...\n`);
	baseline.start = now();
	baseline.end = baseline.start + BASELINE_SECONDS * 1000;
	await Promise.all([produce(false, () => now() < baseline.end), sampleLag(baseline, () => now() < baseline.end)]);

	process.stderr.write(`bench:viewer: viewer, ${RATE} lines/s for ${SECONDS} s ...\n`);
	viewer.start = now();
	viewer.end = viewer.start + SECONDS * 1000;
	let producing = true;
	const feeding = produce(true, () => now() < viewer.end).finally(() => {
		producing = false;
	});
	const lagSampler = sampleLag(viewer, () => producing);

	// Key latency, in the second half of the load: Space pauses (the status bar says PAUSED), Space resumes.
	await delay(SECONDS * 500);
	const keyLatencies: number[] = [];
	const toOutput: number[] = [];
	const sendTimes: number[] = []; // How long tmux send-keys itself takes: part of every key figure.
	const floor: number[] = [];
	for (let press = 0; press < KEY_PRESSES && producing; press++) {
		const paused = press % 2 === 0;
		let before = now();
		let written: number | undefined;
		const onOutput = (text: string, at: number) => {
			written ??= text.includes('PAUSED') ? at : undefined;
		};

		if (paused) {viewer.control.on('output', onOutput);}
		await viewer.control.command('send-keys', '-t', viewer.session.target, 'Space');
		sendTimes.push(now() - before);
		await waitForScreen(viewer, screen => screen.includes('PAUSED') === paused, 5000);
		viewer.control.off('output', onOutput);
		if (written !== undefined) {toOutput.push(written - before);}
		keyLatencies.push(now() - before);
		// The floor of this method under the same load: one tmux command plus one capture-pane.
		before = now();
		await capture(viewer);
		floor.push(now() - before);
		await delay(150);
	}

	if (keyLatencies.length % 2 === 1) {
		await viewer.control.command('send-keys', '-t', viewer.session.target, 'Space'); // Following again.
		await waitForScreen(viewer, screen => !screen.includes('PAUSED'));
	}

	await feeding;
	await lagSampler;
	const loadSeconds = (now() - viewer.start) / 1000;
	const sentTotal = [...sent.values()].reduce((sum, count) => sum + count, 0);

	// Fill every pane's scrollback before reading memory, then let the screen show the last lines.
	const short = Math.max(0, SCROLLBACK - Math.min(...sent.values()));
	if (short > 0) {
		process.stderr.write(`bench:viewer: topping up ${short} lines per pane to fill the scrollback ...\n`);
		const target = sentTotal + short * TAGS.length;
		await produce(true, () => [...sent.values()].reduce((sum, count) => sum + count, 0) < target);
	}

	// Merged, the newest rows are of whichever pane's last batch the server stamped last: one pane's newest line shows.
	const caughtUp = (screen: string, tag: string) => (newestStamps(screen).get(tag) ?? 0) >= lastStamp.get(tag)!;
	const drained = await waitForScreen(viewer, screen => (MERGED ? TAGS.some(tag => caughtUp(screen, tag)) : TAGS.every(tag => caughtUp(screen, tag))), 30_000);
	// What the viewer itself says once caught up: reconnects (a slow-consumer cut shows here), buffered, dropped.
	const statusBar = drained.trimEnd().split('\n').at(-1)!.trim();
	const viewerMemory = memory(viewer.pid);
	const baselineMemory = memory(baseline.pid);
	const heap = await heapSplit(viewer.pid, memoryFile);

	process.stderr.write(`bench:viewer: both idle for ${IDLE_SECONDS} s ...\n`);
	// Not the tail of the flood (the last frames, a collection of what it left): quiet panes.
	await delay(3000);
	const idleStart = now();
	await delay(IDLE_SECONDS * 1000);
	const idleEnd = now();

	const busy = (measured: Measured) => {
		const during = context.filter(sample => sample.at >= measured.start && sample.at <= measured.end);
		const [first, last] = [during[0]!, during.at(-1)!];
		const seconds = (last.at - first.at) / 1000;
		return {
			server: pct((last.server - first.server) / seconds),
			self: pct((last.self - first.self) / seconds),
			machine: pct(((last.busy - first.busy) / (last.total - first.total)) * 100),
		};
	};

	const [viewerBusy, baselineBusy] = [busy(viewer), busy(baseline)];
	// Max lag per 5 s of the viewer's run: flat means it keeps up, rising means a backlog grows.
	const timeline = Array.from({length: Math.ceil(SECONDS / 5)}, (_, index) => {
		const inside = viewer.lags.filter((_, sample) => Math.floor((viewer.lagTimes[sample]! - viewer.start) / 5000) === index);
		return inside.length > 0 ? ms(Math.max(...inside)) : '-';
	}).join(', ');
	const lines = [
		'',
		`dbtail viewer bench: ${TAGS.length} panes at ${WIDTH}x${HEIGHT}${MERGED ? ', the merged view (M) open' : ''}, ${RATE} lines/s asked for ${SECONDS} s, scrollback ${SCROLLBACK}`,
		`ingested ${sentTotal} lines in ${loadSeconds.toFixed(1)} s (${Math.round(sentTotal / loadSeconds)} lines/s), then ${short * TAGS.length} to fill the scrollback`,
		'',
		row('', 'dbtail viewer', 'baseline: tail -F', 'target'),
		row('lag p50 / p99 / max', lagText(viewer.lags), lagText(baseline.lags), '< 1000 ms'),
		row('key → terminal p50 / max', `${ms(percentile(toOutput, 50))} / ${ms(Math.max(...toOutput))}`, `send-keys alone ${ms(percentile(sendTimes, 50))} / ${ms(Math.max(...sendTimes))}`, '< 100 ms'),
		row('key → screen p50 / max', `${ms(percentile(keyLatencies, 50))} / ${ms(Math.max(...keyLatencies))}`, `method floor ${ms(percentile(floor, 50))} / ${ms(Math.max(...floor))}`),
		row('frames/s, busiest 1 s', fps(viewer), fps(baseline), '<= 30'),
		row('RSS / HWM, scrollback full', mb(viewerMemory), mb(baselineMemory), '<= 250 MB'),
		row('  heap: used / live / total', heap ? `${heap.heapUsed.toFixed(0)} / ${heap.live.toFixed(0)} / ${heap.heapTotal.toFixed(0)} MB` : 'no answer', ''),
		row('  external / array buffers', heap ? `${heap.external.toFixed(0)} / ${heap.arrayBuffers.toFixed(0)} MB` : 'no answer', ''),
		row('CPU under load', load(viewer), load(baseline)),
		row('  server / this bench', `${viewerBusy.server} / ${viewerBusy.self}`, `${baselineBusy.server} / ${baselineBusy.self}`),
		row(`  machine, ${availableParallelism()} cores`, `${viewerBusy.machine} busy`, `${baselineBusy.machine} busy`),
		row(`CPU idle (${IDLE_SECONDS} s, 3 s after)`, pct(cpuPercent(viewer.cpu, idleStart, idleEnd)), pct(cpuPercent(baseline.cpu, idleStart, idleEnd))),
		'',
		`viewer lag, max per 5 s: ${timeline}`,
		`viewer status bar, caught up: ${statusBar}`,
		'CPU: 100 % = one core; machine: share of all cores busy, this run and anything else on the machine',
		`baseline: tail -F of a file the same producer appends the same lines to, at the same rate, for ${BASELINE_SECONDS} s before the viewer's run`,
		`lag: now - newest send time visible per pane, capture-pane every 100 ms (${viewer.lags.length} samples); keys and captures go through a tmux control-mode client`,
		`key → terminal: from before send-keys to the first pane output holding PAUSED (control mode %output, ${toOutput.length} pauses)`,
		`key → screen: Space until PAUSED shows or goes, capture-pane every 2 ms (${keyLatencies.length} presses); its floor: one capture-pane round trip`,
		'frames: bursts of pane output (pipe-pane) with < 4 ms between writes',
		'heap: read right after RSS (SIGUSR2 to a probe the viewer preloads); live is what a full collection leaves, used - live is garbage not yet collected',
		'',
	];
	process.stdout.write(lines.join('\n'));
	clearInterval(sampleCpu); // It reads /proc of the programs about to go.
	await viewer.session.kill();
	await baseline.session.kill();
}

async function main(): Promise<void> {
	const work = mkdtempSync(path.join(tmpdir(), 'dbtail-bench-viewer-'));
	cleanups.push(() => rmSync(work, {recursive: true, force: true}));
	const guard = setTimeout(() => abort('over its 5-minute budget'), 295_000);
	cleanups.push(() => clearTimeout(guard));

	try {
		process.stderr.write('bench:viewer: building dist/ ...\n');
		try {
			execFileSync('npm', ['run', '--silent', 'build'], {cwd: root, stdio: 'ignore'});
		} catch {
			process.stderr.write('bench:viewer: the build reported type errors; measuring what it emitted\n');
		}

		const server = await startServeProcess(path.join(work, 'bench.db'));
		cleanups.push(() => server.stop());
		if (!SLOW_ONLY) {await flood(server, work);}

		await slow(server, work);
	} finally {
		await cleanup();
	}
}

await main();
