import {existsSync, readFileSync} from 'node:fs';
import {delay} from '../test/helpers/tmux.js';

/*
 * What bench:viewer reads from outside the programs it measures: /proc for CPU and memory, the frame
 * counter's file for frames, and the send times printed on screen for lag. Pure functions of their input.
 */

/** A line's tag and send time as the producer writes them: `a@1795459079805`. */
const STAMP = /\b([abc])@(\d{13})\b/g;

export function percentile(values: number[], p: number): number {
	if (values.length === 0) {return Number.NaN;}
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

export function cpuTicks(pid: number): number {
	// Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
	const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
	const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
	return Number(fields[11]) + Number(fields[12]);
}

/** Busy and total jiffies of the whole machine, all cores. */
export function machineTicks(): {busy: number; total: number} {
	const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1, 9).map(Number);
	const total = fields.reduce((sum, value) => sum + value, 0);
	return {busy: total - fields[3]! - fields[4]!, total};
}

/** MB: RSS, its high-water mark, and of the RSS the pages of files (for node, mostly its own binary's code). */
export function memory(pid: number): {rss: number; hwm: number; file: number} {
	const status = readFileSync(`/proc/${pid}/status`, 'utf8');
	const kb = (name: string) => Number(new RegExp(`${name}:\\s+(\\d+)`).exec(status)?.[1] ?? Number.NaN);
	return {rss: kb('VmRSS') / 1024, hwm: kb('VmHWM') / 1024, file: kb('RssFile') / 1024};
}

export function cpuPercent(samples: Array<{at: number; ticks: number}>, from: number, to: number): number {
	const inside = samples.filter(sample => sample.at >= from && sample.at <= to);
	const first = inside[0];
	const last = inside.at(-1);
	if (!first || !last || last.at === first.at) {return Number.NaN;}
	return ((last.ticks - first.ticks) / 100 / ((last.at - first.at) / 1000)) * 100;
}

/** When each frame ended: bursts of pane output with < 4 ms between writes, within from..to. */
function frameTimes(framesFile: string, from: number, to: number): number[] {
	const chunks = readFileSync(framesFile, 'utf8')
		.split('\n')
		.filter(Boolean)
		.map(line => Number(line.split(' ')[0]))
		.filter(at => at >= from && at <= to);
	const frames: number[] = [];
	for (const at of chunks) {
		if (frames.length === 0 || at - frames.at(-1)! > 4) {frames.push(at);}
		else {frames[frames.length - 1] = at;} // Still the same burst: extend it.
	}

	return frames;
}

export function frameCount(framesFile: string, from: number, to: number): number {
	return frameTimes(framesFile, from, to).length;
}

export function maxFramesPerSecond(framesFile: string, from: number, to: number): number {
	const frames = frameTimes(framesFile, from, to);
	let best = 0;
	let start = 0;
	for (let end = 0; end < frames.length; end++) {
		while (frames[end]! - frames[start]! >= 1000) {start++;}
		best = Math.max(best, end - start + 1);
	}

	return best;
}

/** The newest send time visible per tag on screen. */
export function newestStamps(screen: string): Map<string, number> {
	const newest = new Map<string, number>();
	for (const [, tag, at] of screen.matchAll(STAMP)) {
		newest.set(tag!, Math.max(newest.get(tag!) ?? 0, Number(at)));
	}

	return newest;
}

/**
 * Preloaded into the viewer (`node --import`): on SIGUSR2 it writes the heap as it is, then as a full
 * collection leaves it, to the file BENCH_MEMORY_FILE names. What the viewer holds (live) against what
 * its heap has grown to (the rest is garbage not yet collected), and what lies outside the heap.
 */
export const MEMORY_PROBE = `
import {renameSync, writeFileSync} from 'node:fs';
import v8 from 'node:v8';
import vm from 'node:vm';
process.on('SIGUSR2', () => {
	const before = process.memoryUsage();
	v8.setFlagsFromString('--expose-gc');
	vm.runInNewContext('gc')();
	const after = process.memoryUsage();
	writeFileSync(process.env.BENCH_MEMORY_FILE + '.part', JSON.stringify({before, after}));
	renameSync(process.env.BENCH_MEMORY_FILE + '.part', process.env.BENCH_MEMORY_FILE);
});
`;

export type HeapSplit = {heapTotal: number; heapUsed: number; live: number; external: number; arrayBuffers: number};

/** Asks the probe in `pid` for its heap, in MB; undefined when it did not answer within 5 s. */
export async function heapSplit(pid: number, file: string): Promise<HeapSplit | undefined> {
	process.kill(pid, 'SIGUSR2');
	for (let waited = 0; waited < 5000 && !existsSync(file); waited += 50) {
		await delay(50);
	}

	if (!existsSync(file)) {return undefined;}
	const {before, after} = JSON.parse(readFileSync(file, 'utf8')) as Record<'before' | 'after', NodeJS.MemoryUsage>;
	const mb = (bytes: number) => bytes / 1024 / 1024;
	return {heapTotal: mb(before.heapTotal), heapUsed: mb(before.heapUsed), live: mb(after.heapUsed), external: mb(after.external), arrayBuffers: mb(after.arrayBuffers)};
}
