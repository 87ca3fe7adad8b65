import {useEffect, useRef, useState} from 'react';
import type {Workspace} from '../../model/workspace.js';
import {statusSignature, timeSignature} from '../clock-signature.js';
import type {FramePacer} from '../frame-pacer.js';

/** Relative timestamps and reconnect countdowns change each second even when no line arrives. */
const CLOCK_MS = 1000;

/**
 * The clock does not wake each second to ask whether the screen reads differently: it works out, second
 * by second up to this far ahead, when the status line or the ages would next change, and sleeps until
 * then (the texts are functions of the clock until the workspace changes, and a change draws a frame,
 * which brings the clock back to within a second). Each wake of an idle process costs CPU of its own
 * (on one machine of the CI class perf's task-clock read 1.3 % of a core for an empty one-second
 * setInterval), so an idle viewer that woke every second could not get under 1 % there.
 */
const CLOCK_HORIZON_MS = 5000;

/**
 * Ages (`12s ago`) and the titles' sparklines are redrawn by the clock alone at most this often: an idle
 * viewer whose newest lines were seconds old drew a frame a second for their first minute. Countdowns and
 * the status line (whose quiet time counts in 5 s steps) still draw when they change.
 */
const AGES_MS = 5000;

/**
 * Lines no row shows (a paused pane's, a scrolled-back pane's) change only counters (`PAUSED +28 new`):
 * they are drawn at most this often, not at the frame rate. At 10 lines a second a paused 200x60 pane
 * drew ten frames a second, each laid out whole by Ink, for a count.
 */
const UNSEEN_MS = 1000;

/**
 * A frame costs about the same whatever it brings, one line or a thousand. Log traffic that brings fewer
 * than BUSY_LINES lines by the time the pacer would draw waits up to SLOW_MS for more: a stream of a few
 * lines a second (where people mostly watch) draws about four frames a second of several lines each, not a
 * frame per line, at a quarter of the CPU; a flood reaches BUSY_LINES at once and draws at the pacer's pace.
 * A line after a quiet spell is drawn at once (the last frame is older than SLOW_MS), and for KEYS_MS after
 * a key every change keeps the pacer's pace: what a key asked for and comes later (a page of history, a
 * filter's matches) is not held back.
 */
const BUSY_LINES = 20;
const SLOW_MS = 250;
const KEYS_MS = 1000;

/**
 * Redraws when the workspace changes: at once for a key, for log traffic no sooner than the pacer allows
 * after the last frame (~30 a second at most) and, while it is slow, SLOW_MS after it; for traffic no row
 * shows once a second. For the clock, at the next second at which the screen would read differently. One counter
 * of state, never one per log line. Returns the time of the frame.
 */
export function useFrameTicker(workspace: Workspace, pacer: FramePacer): number {
	// A frame counter beside the time: two urgent changes within one millisecond must still draw twice (React
	// skips a state update that equals the value drawn, and the second key's effect would never show).
	const [frame, setFrame] = useState(() => ({now: Date.now(), count: 0}));
	// The time the screen was drawn at: the clock compares with it from the first frame on.
	const drawnAtRef = useRef(frame.now);
	drawnAtRef.current = frame.now;
	useEffect(() => {
		let timer: NodeJS.Timeout | undefined;
		// When the pending frame is due: a sooner need moves it earlier, a later one leaves it.
		let dueAt = Number.POSITIVE_INFINITY;
		let last = drawnAtRef.current;
		let drawnStatus = statusSignature(workspace, last);
		// The ages and sparklines as the last frame drew them, worked out when first asked.
		let drawnTimes: string | undefined;
		let clock: NodeJS.Timeout | undefined;
		let clockDue = Number.POSITIVE_INFINITY;
		// Changes from log traffic since the last frame: one per line a row shows.
		let shownChanges = 0;
		// When the last key (an urgent change) was drawn.
		let keyAt = Number.NEGATIVE_INFINITY;
		const draw = () => {
			if (timer) {
				clearTimeout(timer);
				timer = undefined;
			}

			dueAt = Number.POSITIVE_INFINITY;
			shownChanges = 0;
			const afterQuiet = Date.now() - last > CLOCK_MS;
			last = Date.now();
			const drawnAt = last;
			setFrame((previous) => ({now: drawnAt, count: previous.count + 1}));
			drawnStatus = statusSignature(workspace, last);
			drawnTimes = undefined;
			// What this frame shows may change by the clock sooner than the clock was set for. After a quiet spell
			// the next change is worked out (the clock may sleep up to 5 s); a frame soon after another only brings
			// the clock back to within a second, so a stream of frames works nothing out.
			if (clockDue > last + CLOCK_MS) {
				armClock(afterQuiet ? nextChange(last) : last + CLOCK_MS);
			}
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

		// A frame of a big terminal costs milliseconds: the clock draws one only when the screen would read
		// differently now than at the last frame, and for ages and sparklines alone (which any other frame
		// brings up to date) no sooner than AGES_MS after it.
		const readsDifferentlyAt = (at: number) => {
			if (statusSignature(workspace, at) !== drawnStatus) {
				return true;
			}

			drawnTimes ??= timeSignature(workspace, last);
			return at - last >= AGES_MS && timeSignature(workspace, at) !== drawnTimes;
		};

		/** The first whole second on from `from` at which the screen would read differently, or the horizon. */
		const nextChange = (from: number) => {
			for (let at = from + CLOCK_MS; at < from + CLOCK_HORIZON_MS; at += CLOCK_MS) {
				if (readsDifferentlyAt(at)) {
					return at;
				}
			}

			return from + CLOCK_HORIZON_MS;
		};

		const tick = () => {
			clock = undefined;
			clockDue = Number.POSITIVE_INFINITY;
			const now = Date.now();
			// With a frame already due, the clock has nothing to do but look again after it.
			if (timer) {
				armClock(now + CLOCK_MS);
			} else if (readsDifferentlyAt(now)) {
				draw();
			} else {
				armClock(nextChange(now));
			}
		};

		function armClock(at: number) {
			if (clock) {
				clearTimeout(clock);
			}

			clockDue = at;
			clock = setTimeout(tick, Math.max(0, at - Date.now()));
		}

		const unsubscribe = workspace.subscribe((urgent, unseen) => {
			if (urgent) {
				draw();
				keyAt = last;
			} else if (unseen) {
				drawBy(last + UNSEEN_MS);
			} else {
				shownChanges++;
				const slow = shownChanges < BUSY_LINES && last - keyAt > KEYS_MS;
				drawBy(last + (slow ? Math.max(pacer.gap(), SLOW_MS) : pacer.gap()));
			}
		});
		armClock(last + CLOCK_MS);
		return () => {
			unsubscribe();
			if (clock) {
				clearTimeout(clock);
			}

			if (timer) {
				clearTimeout(timer);
			}
		};
	}, [workspace, pacer]);
	return frame.now;
}
