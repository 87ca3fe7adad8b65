import {createWriteStream, writeFileSync} from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import {pathToFileURL} from 'node:url';
import {createRun, ingest} from '../test/helpers/ingest.js';
import type {ServeProcess} from '../test/helpers/serve-process.js';
import {delay} from '../test/helpers/tmux.js';
import {cleanups, cpuBetween, filler, HEIGHT, IDLE_SECONDS, lagText, mb, now, producer, row, sampleLag, startMeasured, waitForScreen, WIDTH, type Measured} from './viewer-harness.js';
import {cpuTicks, frameCount, heapSplit, memory, MEMORY_PROBE} from './viewer-measures.js';

// The slow phase: a fresh viewer on two panes at the rate people mostly watch, beside `tail -F`.
const SLOW_RATE = Number(process.env.BENCH_SLOW_RATE ?? 20); // Lines per second, both panes together.
// Two halves: in the first V8 is still compiling the live path (TurboFan on its helper threads, a third of
// the process's CPU then); the second is what an hour of watching costs per second.
const SLOW_SECONDS = Number(process.env.BENCH_SLOW_SECONDS ?? 40);
const SLOW_TAGS = ['a', 'b'] as const;
const SLOW_HISTORY = 2000; // Lines per run before the viewer starts: it opens on a screenful and more.
const NODE_FLAGS = process.env.BENCH_NODE_FLAGS ?? ''; // For the slow phase's viewer, e.g. --cpu-prof (it quits at the end).

/**
 * The slow phase: what the viewer costs where people mostly watch it, two panes of a few lines a second,
 * and sitting idle: each cell is the viewer alone (its process), beside `tail -F` of the same lines.
 */
export async function slow(server: ServeProcess, work: string): Promise<void> {
	const runs = new Map<string, string>();
	for (const tag of SLOW_TAGS) {
		const runId = await createRun(server.url, undefined, {automationId: `bench-slow-${tag}`, name: 'bench'});
		runs.set(tag, runId);
		// No send time on them (not `a@...`): the lag is of the lines sent while measured.
		await ingest(server.url, undefined, runId, Array.from({length: SLOW_HISTORY}, (_, index) => `${tag} history n=${index + 1} ${filler}`));
	}

	const baselineFile = path.join(work, 'slow-baseline.log');
	const baselineOut = createWriteStream(baselineFile);
	cleanups.push(() => baselineOut.close());
	baselineOut.write('');
	const probe = path.join(work, 'memory-probe.mjs');
	const memoryFile = path.join(work, 'slow-memory.json');
	writeFileSync(probe, MEMORY_PROBE);
	const sources = SLOW_TAGS.map(tag => `automation/bench-slow-${tag}`).join(' ');
	const viewer = await startMeasured(`exec env BENCH_MEMORY_FILE=${memoryFile} node ${NODE_FLAGS} --import ${pathToFileURL(probe).href} bin/dbtail.js --server ${server.url} ${sources}`, work, 'slow-viewer');
	cleanups.push(() => viewer.session.kill(), () => viewer.control.close());
	const baseline = await startMeasured(`exec tail -n 0 -F ${baselineFile}`, work, 'slow-baseline');
	cleanups.push(() => baseline.session.kill(), () => baseline.control.close());
	await viewer.session.waitFor('bench-slow-b', {timeoutMs: 15_000});
	const sampleCpu = setInterval(() => {
		for (const measured of [viewer, baseline]) {measured.cpu.push({at: now(), ticks: cpuTicks(measured.pid)});}
	}, 250);
	cleanups.push(() => clearInterval(sampleCpu));
	const {produce} = producer(server.url, SLOW_TAGS, SLOW_RATE, runs, baselineOut);
	const span = async (seconds: number) => {
		const from = now();
		await delay(seconds * 1000);
		return {from, to: now()};
	};

	const framesPerSecond = (measured: Measured, {from, to}: {from: number; to: number}) => (frameCount(measured.framesFile, from, to) / ((to - from) / 1000)).toFixed(1);
	process.stderr.write(`bench:viewer: slow: both idle for ${IDLE_SECONDS} s, then ${SLOW_RATE} lines/s for ${SLOW_SECONDS} s, then paused, then idle ...\n`);
	await delay(3000); // Past the start: the history's first frames, what loading it left to collect.
	const idleBefore = await span(IDLE_SECONDS);
	viewer.start = now();
	viewer.end = viewer.start + SLOW_SECONDS * 1000;
	[baseline.start, baseline.end] = [viewer.start, viewer.end];
	await Promise.all([
		produce(true, () => now() < viewer.end),
		produce(false, () => now() < viewer.end),
		sampleLag(viewer, () => now() < viewer.end),
		sampleLag(baseline, () => now() < viewer.end),
	]);
	const running = {from: viewer.start, to: viewer.end};
	const half = (viewer.start + viewer.end) / 2;
	const warming = {from: viewer.start, to: half};
	const warm = {from: half, to: viewer.end};
	const viewerMemory = memory(viewer.pid);
	const baselineMemory = memory(baseline.pid);

	// Paused (P, every pane): lines still arrive and are counted, none is drawn; tail -F has no pause, it goes on.
	await viewer.control.command('send-keys', '-t', viewer.session.target, 'P');
	await waitForScreen(viewer, screen => screen.includes('PAUSED'));
	const pausedEnd = now() + IDLE_SECONDS * 1000;
	const paused = {from: now(), to: pausedEnd};
	await Promise.all([produce(true, () => now() < pausedEnd), produce(false, () => now() < pausedEnd)]);
	paused.to = now();
	await viewer.control.command('send-keys', '-t', viewer.session.target, 'P');
	await waitForScreen(viewer, screen => !screen.includes('PAUSED'));

	await delay(3000);
	const idleAfter = await span(IDLE_SECONDS);
	const heap = await heapSplit(viewer.pid, memoryFile);
	clearInterval(sampleCpu);

	const both = (name: string, cell: (measured: Measured) => string, target = '') => row(name, cell(viewer), cell(baseline), target);
	const lines = [
		'',
		`slow: a fresh viewer (default flags), ${SLOW_TAGS.length} panes at ${WIDTH}x${HEIGHT}, ${SLOW_HISTORY} lines of history each, ${SLOW_RATE} lines/s for ${SLOW_SECONDS} s; tail -F of the same lines at the same time`,
		'',
		row('', 'dbtail viewer', 'baseline: tail -F', 'target'),
		both(`CPU idle, at start (${IDLE_SECONDS} s)`, measured => cpuBetween(measured, idleBefore.from, idleBefore.to), '<= 1 %'),
		both(`CPU at ${SLOW_RATE} lines/s, first ${SLOW_SECONDS / 2} s`, measured => cpuBetween(measured, warming.from, warming.to)),
		both(`  the next ${SLOW_SECONDS / 2} s`, measured => cpuBetween(measured, warm.from, warm.to), '<= 3 %'),
		both(`CPU paused at ${SLOW_RATE} lines/s`, measured => cpuBetween(measured, paused.from, paused.to)),
		both(`CPU idle, after (${IDLE_SECONDS} s)`, measured => cpuBetween(measured, idleAfter.from, idleAfter.to), '<= 1 %'),
		both('RSS / HWM after the run', measured => mb(measured === viewer ? viewerMemory : baselineMemory), '<= 100 MB'),
		both('  of it file pages (binary)', measured => `${(measured === viewer ? viewerMemory : baselineMemory).file.toFixed(0)} MB`),
		row('  heap: used / live / total', heap ? `${heap.heapUsed.toFixed(0)} / ${heap.live.toFixed(0)} / ${heap.heapTotal.toFixed(0)} MB` : 'no answer', ''),
		both('frames/s idle/run/paused/idle', measured => [idleBefore, running, paused, idleAfter].map(span => framesPerSecond(measured, span)).join(', ')),
		both('lag p50 / p99 / max', measured => lagText(measured.lags), '< 1000 ms'),
		'',
		'CPU: 100 % = one core, the process alone (utime + stime from /proc every 250 ms); RSS after the running span, heap at the end (the probe\'s full collection)',
		'first half: V8 is still compiling the live path (TurboFan, on its own threads); the next: what each further second of watching costs',
		'',
	];
	process.stdout.write(lines.join('\n'));
	// Quit, not killed: a viewer started with BENCH_NODE_FLAGS=--cpu-prof writes its profile on the way out.
	await viewer.session.sendKeys('q');
	await viewer.session.waitForExit({timeoutMs: 10_000}).catch(() => undefined);
	await viewer.session.kill();
	await baseline.session.kill();
}
