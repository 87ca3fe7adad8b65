import {useEffect, useState} from 'react';
import type {Workspace} from '../../model/workspace.js';
import {statusSignature, timeSignature} from '../clock-signature.js';
import type {FramePacer} from '../frame-pacer.js';

/** Relative timestamps and reconnect countdowns change each second even when no line arrives. */
const CLOCK_MS = 1000;

/**
 * Lines no row shows (a paused pane's, a scrolled-back pane's) change only counters (`PAUSED +28 new`):
 * they are drawn at most this often, not at the frame rate. At 10 lines a second a paused 200x60 pane
 * drew ten frames a second, each laid out whole by Ink, for a count.
 */
const UNSEEN_MS = 1000;

/**
 * Redraws when the workspace changes: at once for a key, for log traffic no sooner than the pacer allows
 * after the last frame (~30 a second at most), for traffic no row shows once a second. Once a second
 * for the clock, when the screen would read differently. One counter of state, never one per log line.
 * Returns the time of the frame.
 */
export function useFrameTicker(workspace: Workspace, pacer: FramePacer): number {
	// A frame counter beside the time: two urgent changes within one millisecond must still draw twice (React
	// skips a state update that equals the value drawn, and the second key's effect would never show).
	const [frame, setFrame] = useState(() => ({now: Date.now(), count: 0}));
	useEffect(() => {
		let timer: NodeJS.Timeout | undefined;
		// When the pending frame is due: a sooner need moves it earlier, a later one leaves it.
		let dueAt = Number.POSITIVE_INFINITY;
		let last = 0;
		let drawnStatus = '';
		const draw = () => {
			if (timer) {
				clearTimeout(timer);
				timer = undefined;
			}

			dueAt = Number.POSITIVE_INFINITY;
			last = Date.now();
			const drawnAt = last;
			setFrame((previous) => ({now: drawnAt, count: previous.count + 1}));
			drawnStatus = statusSignature(workspace, last);
		};

		const drawBy = (at: number) => {
			if (timer && dueAt <= at) {
				return;
			}

			if (timer) {
				clearTimeout(timer);
			}

			dueAt = at;
			timer = setTimeout(draw, Math.max(0, at - Date.now()));
		};

		// A frame of a big terminal costs tens of milliseconds: the clock draws one only when the screen
		// would read differently now than at the last frame. With a frame already due it has nothing to do.
		const tick = () => {
			const now = Date.now();
			if (!timer && (statusSignature(workspace, now) !== drawnStatus || timeSignature(workspace, now) !== timeSignature(workspace, last))) {
				draw();
			}
		};

		const unsubscribe = workspace.subscribe((urgent, unseen) => {
			if (urgent) {
				draw();
			} else {
				drawBy(last + (unseen ? UNSEEN_MS : pacer.gap()));
			}
		});
		const clock = setInterval(tick, CLOCK_MS);
		return () => {
			unsubscribe();
			clearInterval(clock);
			if (timer) {
				clearTimeout(timer);
			}
		};
	}, [workspace, pacer]);
	return frame.now;
}
