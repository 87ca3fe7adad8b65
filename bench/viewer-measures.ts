import {readFileSync} from 'node:fs';

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

export function memory(pid: number): {rss: number; hwm: number} {
	const status = readFileSync(`/proc/${pid}/status`, 'utf8');
	const kb = (name: string) => Number(new RegExp(`${name}:\\s+(\\d+)`).exec(status)?.[1] ?? Number.NaN);
	return {rss: kb('VmRSS') / 1024, hwm: kb('VmHWM') / 1024};
}

export function cpuPercent(samples: Array<{at: number; ticks: number}>, from: number, to: number): number {
	const inside = samples.filter(sample => sample.at >= from && sample.at <= to);
	const first = inside[0];
	const last = inside.at(-1);
	if (!first || !last || last.at === first.at) {return Number.NaN;}
	return ((last.ticks - first.ticks) / 100 / ((last.at - first.at) / 1000)) * 100;
}

export function maxFramesPerSecond(framesFile: string, from: number, to: number): number {
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
