import {meetsFloor, type Level} from '../../protocol/levels.js';
import type {StoredLogRecord} from '../../protocol/record.js';
import type {ServedStream} from '../served-stream.js';
import {scopeMatches} from '../store/scope.js';
import type {FeedEvent} from '../store/types.js';

/** What each stream shape selected of a feed batch, kept as long as the batch (see selectFeed). */
const selections = new WeakMap<readonly StoredLogRecord[], Map<string, FeedEvent | undefined>>();

/**
 * What of a feed event is for one client: the records of its scope at or above its floor, or a run event
 * of its entity; undefined for nothing. Every record of the scope is noted (a task's new owner), whatever its level.
 * `shape` names the stream and level floor: clients of one shape select the same records.
 */
export function selectFeed(event: FeedEvent, target: ServedStream, level: Level | undefined, shape: string): FeedEvent | undefined {
	if (event.type !== 'logs') {
		return target.ownsRun(event.run) ? event : undefined;
	}

	const {kind} = target.scope;
	if (kind === 'task' || kind === 'artifact') {
		return select(event, target, level);
	}

	// Other streams note nothing: what one selects is what every stream of its shape selects.
	let selected = selections.get(event.records);
	if (selected === undefined) {
		selected = new Map();
		selections.set(event.records, selected);
	}

	let mine = selected.get(shape);
	if (mine === undefined && !selected.has(shape)) {
		mine = select(event, target, level);
		selected.set(shape, mine);
	}

	return mine;
}

function select(event: FeedEvent & {type: 'logs'}, target: ServedStream, level: Level | undefined): FeedEvent | undefined {
	const records: StoredLogRecord[] = [];
	for (const record of event.records) {
		if (scopeMatches(target.scope, record)) {
			target.noteRecord(record);
			if (meetsFloor(record.level, level)) {
				records.push(record);
			}
		}
	}

	return records.length === 0 ? undefined : {type: 'logs', records};
}
