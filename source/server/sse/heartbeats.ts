import {sseComment} from '../../protocol/sse.js';
import type {Frame} from './log-frames.js';

/** What a heartbeat needs of a session: given the beat's one frame, it writes it if it has nothing else to send. */
export type Beating = {beat(frame: Frame): void};

type Beat = {timer: NodeJS.Timeout; members: Set<Beating>};

/** One timer per heartbeat interval, for every session that asked for it: 10,000 streams are not 10,000 timers. */
const beats = new Map<number, Beat>();

/**
 * Beats `member` every `ms` (the first within `ms` of joining) with a comment made once per beat for all the
 * members; returns how it leaves. The timer stops when its last member leaves.
 */
export function joinHeartbeat(ms: number, member: Beating): () => void {
	let beat = beats.get(ms);
	if (beat === undefined) {
		const members = new Set<Beating>();
		const timer = setInterval(() => {
			const text = sseComment(`keepalive ${new Date().toISOString()}`);
			const frame: Frame = {text, bytes: text.length, shared: true};
			for (const each of members) {
				each.beat(frame);
			}
		}, ms);
		beat = {timer, members};
		beats.set(ms, beat);
	}

	const joined = beat;
	joined.members.add(member);
	return () => {
		joined.members.delete(member);
		if (joined.members.size === 0 && beats.get(ms) === joined) {
			clearInterval(joined.timer);
			beats.delete(ms);
		}
	};
}
