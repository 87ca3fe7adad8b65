import {useEffect, useState} from 'react';
import type {Workspace} from '../../model/workspace.js';

/** At most this many redraws a second from log traffic (Ink's maxFps throttles the writes, not layout). */
const FRAME_MS = 33;
/** Relative timestamps and reconnect countdowns change each second even when no line arrives. */
const CLOCK_MS = 1000;

/**
 * Redraws when the workspace changes: at once for a key, and for log traffic at most ~30 times a second,
 * or less when a frame is expensive (a big terminal on a slow machine): the gap after a frame is at least
 * twice what the frame cost, so drawing never takes more than about half a core and keys still get
 * their frames at once. One counter of state, never one per log line. Returns the time of the frame.
 */
export function useFrameTicker(workspace: Workspace): number {
	const [now, setNow] = useState(() => Date.now());
	useEffect(() => {
		let timer: NodeJS.Timeout | undefined;
		let next = 0;
		const draw = () => {
			if (timer) {
				clearTimeout(timer);
				timer = undefined;
			}

			const started = performance.now();
			setNow(Date.now());
			// Ink renders a legacy root synchronously, so this measures layout and output of the frame.
			const cost = performance.now() - started;
			next = Date.now() + Math.max(FRAME_MS, cost * 2);
		};

		const unsubscribe = workspace.subscribe((urgent) => {
			if (urgent) {
				draw();
			} else {
				timer ??= setTimeout(draw, Math.max(0, next - Date.now()));
			}
		});
		const clock = setInterval(draw, CLOCK_MS);
		return () => {
			unsubscribe();
			clearInterval(clock);
			if (timer) {
				clearTimeout(timer);
			}
		};
	}, [workspace]);
	return now;
}
