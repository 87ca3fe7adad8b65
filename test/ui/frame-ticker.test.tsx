import {Text} from 'ink';
import {render} from 'ink-testing-library';
import {afterEach, describe, expect, it, vi} from 'vitest';
import {Workspace} from '../../source/model/workspace.js';
import {FramePacer} from '../../source/ui/frame-pacer.js';
import {useFrameTicker} from '../../source/ui/hooks/use-frame-ticker.js';
import {until} from '../helpers/until.js';
import {memoryWorkspace} from './memory-stream.js';

/** With the timers fake, until() (which waits on setTimeout) cannot run: React's turns are setImmediate's. */
async function turnsUntil(predicate: () => boolean, most = 200): Promise<void> {
	for (let turn = 0; turn < most && !predicate(); turn++) {
		await new Promise((resolve) => setImmediate(resolve));
	}
}

/**
 * A component on the ticker that shows `changes N` from its model and counts its frames, on a workspace
 * of no panes, once its first frame is drawn. One pacer for its life, as the App's: a new one restarts the ticker.
 */
async function countingProbe() {
	const workspace = new Workspace({factory: () => {
		throw new Error('no panes in this test');
	}});
	const model = {changes: 0};
	const pacer = new FramePacer();
	let frames = 0;
	function Probe() {
		useFrameTicker(workspace, pacer);
		frames++;
		return <Text>{`changes ${model.changes}`}</Text>;
	}

	const instance = render(<Probe />);
	await until(() => instance.lastFrame() === 'changes 0', 'the first frame');
	return {workspace, model, frames: () => frames, instance};
}

/**
 * A pane with one line whose age is shown, on the clock's fake timers and Date only (React and Ink keep their
 * real turns, setImmediate); a component on the ticker shows the pane's time column and counts its frames.
 * Resolves once `just now` is drawn.
 */
async function agesProbe() {
	vi.useFakeTimers({toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'], now: 1_800_000_000_000});
	const {workspace, stream} = memoryWorkspace({timestamps: 'relative'});
	workspace.open('task/a');
	stream('task/a').log('hello');
	const pacer = new FramePacer();
	let frames = 0;
	function Probe() {
		const now = useFrameTicker(workspace, pacer);
		frames++;
		return <Text>{workspace.focused!.store.timeSignature(now)}</Text>;
	}

	const instance = render(<Probe />);
	await turnsUntil(() => instance.lastFrame()!.includes('just now'));
	return {instance, frames: () => frames};
}

afterEach(() => {
	vi.useRealTimers();
	vi.restoreAllMocks();
});

describe('useFrameTicker', () => {
	it('draws once per urgent change, even when two come within the same millisecond', async () => {
		const workspace = new Workspace({factory: () => {
			throw new Error('no panes in this test');
		}});
		// What the model holds, read by the component as the App reads its model: nothing of it in React state.
		const model = {keys: 0};
		function Probe() {
			useFrameTicker(workspace, new FramePacer());
			return <Text>{`keys ${model.keys}`}</Text>;
		}

		const instance = render(<Probe />);
		await until(() => instance.lastFrame() === 'keys 0', 'the first frame');
		// The clock stands still: each change asks for a frame at the same Date.now() as the frame before.
		vi.spyOn(Date, 'now').mockReturnValue(1_000_000);
		model.keys = 1;
		workspace.changed(true);
		await until(() => instance.lastFrame() === 'keys 1', 'a frame for the first change');
		model.keys = 2;
		workspace.changed(true);
		await until(() => instance.lastFrame() === 'keys 2', 'a frame for the second change in the same millisecond', 3000);
		expect(instance.lastFrame()).toBe('keys 2');
		instance.unmount();
	});

	it('draws a slow stream a few lines a frame, not a frame per line', async () => {
		const {workspace, model, frames, instance} = await countingProbe();
		// The ticker's timers and clock only, so a loaded machine cannot stretch the second (React and Ink keep theirs).
		vi.useFakeTimers({toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date']});
		const before = frames();
		// Twenty lines over a second, one every 50 ms, as a pane of 20 lines/s gets them: a frame each before.
		for (let line = 1; line <= 20; line++) {
			model.changes = line;
			workspace.changed();
			vi.advanceTimersByTime(50);
			await new Promise((resolve) => setImmediate(resolve));
		}

		vi.advanceTimersByTime(250);
		// until() waits on setTimeout, which is fake here: React's turns are setImmediate's.
		for (let turn = 0; turn < 100 && instance.lastFrame() !== 'changes 20'; turn++) {
			await new Promise((resolve) => setImmediate(resolve));
		}

		expect(instance.lastFrame()).toBe('changes 20');
		// About four a second (one per 250 ms), and the one after the last line.
		expect(frames() - before).toBeLessThanOrEqual(6);
		expect(frames() - before).toBeGreaterThanOrEqual(4);
		instance.unmount();
	});

	it('keeps the pacer\'s pace for a second after a key: what the key asked for is not held back', async () => {
		const {workspace, model, frames, instance} = await countingProbe();
		workspace.changed(true);
		const before = frames();
		// Eight answers to it (pages of history, say) 80 ms apart: held for SLOW_MS they would be three or four frames.
		for (let page = 1; page <= 8; page++) {
			await new Promise((resolve) => setTimeout(resolve, 80));
			model.changes = page;
			workspace.changed();
		}

		await until(() => instance.lastFrame() === 'changes 8', 'the last page drawn');
		expect(frames() - before).toBeGreaterThanOrEqual(6);
		instance.unmount();
	});

	it('redraws ages on the clock alone every 5 s, not every second', async () => {
		const {instance, frames} = await agesProbe();
		const before = frames();
		for (let second = 1; second <= 4; second++) {
			vi.advanceTimersByTime(1000);
			await turnsUntil(() => false, 5);
		}

		// `1s ago` to `4s ago` were never drawn: nothing but the ages changed.
		expect(frames() - before).toBe(0);
		vi.advanceTimersByTime(1000);
		await turnsUntil(() => instance.lastFrame()!.includes('5s ago'));
		expect(instance.lastFrame()).toContain('5s ago');
		instance.unmount();
	});

	it('sleeps through the seconds in which the screen reads the same: an idle viewer wakes once in 5 s, not each second', async () => {
		// A line whose age is shown: the screen reads differently every 5 s (ages redraw no more often).
		const {instance} = await agesProbe();
		// Whatever the first seconds plan, from then on: the timers the clock holds, and how far ahead.
		vi.advanceTimersByTime(10_000);
		await turnsUntil(() => false, 5);
		const wakes: number[] = [];
		for (let wake = 0; wake < 5; wake++) {
			vi.advanceTimersToNextTimer();
			wakes.push(Date.now());
			// The frame a wake draws is React's to render (setImmediate), and Ink's to write.
			await turnsUntil(() => false, 5);
		}

		const gaps = wakes.slice(1).map((at, index) => at - wakes[index]!);
		// Each wake 5 s after the last, a frame of new ages each time (before: a wake each second, then one a
		// second after each frame).
		expect(gaps).toEqual([5000, 5000, 5000, 5000]);
		expect(instance.lastFrame()).toContain('ago');
		instance.unmount();
	});
});
