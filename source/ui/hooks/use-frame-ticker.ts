import {useEffect, useState} from 'react';
import type {Workspace} from '../../model/workspace.js';

/** At most this many redraws a second from log traffic (Ink's maxFps throttles the writes, not layout). */
const FRAME_MS = 33;
/** Relative timestamps and reconnect countdowns change each second even when no line arrives. */
const CLOCK_MS = 1000;

/**
 * Redraws when the workspace changes, at most ~30 times a second however many lines arrive, and once a
 * second for the clock. Returns the time the frame is drawn at. No state per log line: one counter.
 */
export function useFrameTicker(workspace: Workspace): number {
	const [now, setNow] = useState(() => Date.now());
	useEffect(() => {
		let timer: NodeJS.Timeout | undefined;
		let last = 0;
		const draw = () => {
			timer = undefined;
			last = Date.now();
			setNow(last);
		};

		const unsubscribe = workspace.subscribe(() => {
			timer ??= setTimeout(draw, Math.max(0, last + FRAME_MS - Date.now()));
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
