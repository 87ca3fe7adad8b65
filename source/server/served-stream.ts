import type {Run, StoredLogRecord} from '../protocol/record.js';
import {formatStreamName, type StreamKind} from '../protocol/streams.js';
import {notFound} from './api-error.js';
import type {LogStore} from './store/log-store.js';
import type {Scope} from './store/scope.js';

const LABEL: Record<StreamKind, string> = {automation: 'automation', task: 'task', pipeline: 'pipeline', artifact: 'artifact', all: 'stream'};

/** A stream as the server serves it: its scope in the store, where it starts, which new runs it moves to. */
export type ServedStream = {
	name: string;
	/** Entity scope; `runId` set when the stream is pinned with `?run=`. */
	scope: Scope;
	/** The run the stream starts on (pinned run, or the entity's newest). */
	currentRun?: Run;
	/** Whether a run belongs to this stream's entity (run-started moves the stream to it). Never a store read. */
	ownsRun(run: Run): boolean;
	/**
	 * A record of this stream's scope was sent: on a task or artifact stream its automation (pipeline) now
	 * owns that task, as the store's `owners` would say from then on.
	 */
	noteRecord(record: StoredLogRecord): void;
};

const ownerOf = (parent: 'automation' | 'pipeline', item: {automationId?: string; pipelineId?: string}) =>
	parent === 'automation' ? item.automationId : item.pipelineId;

/**
 * What a stream or history request names: the entity (404 when it has never been seen), its current
 * run, and how to tell whether a new run belongs to it. `run` pins it to one run of that entity. The
 * owners of a task are read once here and then kept by the stream's own records, so a run event never
 * costs a store read on the live path.
 */
export async function resolveServedStream(store: LogStore, kind: StreamKind, id: string | undefined, run?: string): Promise<ServedStream> {
	let currentRun: Run | undefined;
	let ownsRun: (run: Run) => boolean;
	let noteRecord: (record: StoredLogRecord) => void = () => {};
	switch (kind) {
		case 'automation':
		case 'pipeline': {
			currentRun = await store.currentRun(kind, id!);
			if (!currentRun) {throw notFound(`no ${kind} "${id}"`);}
			ownsRun = (candidate) => ownerOf(kind, candidate) === id;
			break;
		}

		case 'task':
		case 'artifact': {
			const parent = kind === 'task' ? 'automation' : 'pipeline';
			const owners = new Set(await store.owners(parent, id!));
			if (owners.size === 0) {throw notFound(`no ${LABEL[kind]} "${id}"`);}
			currentRun = await store.currentRunOfChild(parent, id!);
			ownsRun = (candidate) => {
				const owner = ownerOf(parent, candidate);
				return owner !== undefined && owners.has(owner);
			};

			noteRecord = (record) => {
				const owner = ownerOf(parent, record);
				if (owner !== undefined) {owners.add(owner);}
			};

			break;
		}

		case 'all': {
			ownsRun = () => true;
			break;
		}
	}

	if (run !== undefined) {
		const pinned = await store.getRun(run);
		if (!pinned || !ownsRun(pinned)) {
			throw notFound(`no run "${run}" of ${kind === 'all' ? 'this server' : `${LABEL[kind]} "${id}"`}`);
		}

		currentRun = pinned;
	}

	return {
		name: formatStreamName({kind, id, run}),
		scope: {kind, id, runId: run},
		currentRun,
		ownsRun,
		noteRecord,
	};
}
