import type {Run} from '../protocol/record.js';
import {formatStreamName, type StreamKind} from '../protocol/streams.js';
import {notFound} from './api-error.js';
import type {LogStore} from './store/sqlite/log-store.js';
import type {Scope} from './store/scope.js';

const LABEL: Record<StreamKind, string> = {automation: 'automation', task: 'task', pipeline: 'pipeline', artifact: 'artifact', all: 'stream'};

/** A stream as the server serves it: its scope in the store, where it starts, which new runs it moves to. */
export type ServedStream = {
	name: string;
	/** Entity scope; `runId` set when the stream is pinned with `?run=`. */
	scope: Scope;
	/** The run the stream starts on (pinned run, or the entity's newest). */
	currentRun?: Run;
	/** Whether a run belongs to this stream's entity (run-started moves the stream to it). */
	ownsRun(run: Run): boolean;
};

/**
 * What a stream or history request names: the entity (404 when it has never been seen), its current
 * run, and how to tell whether a new run belongs to it. `run` pins it to one run of that entity.
 */
export function resolveServedStream(store: LogStore, kind: StreamKind, id: string | undefined, run?: string): ServedStream {
	let currentRun: Run | undefined;
	let ownsRun: (run: Run) => boolean;
	switch (kind) {
		case 'automation':
		case 'pipeline': {
			currentRun = store.currentRun(kind, id!);
			if (!currentRun) {throw notFound(`no ${kind} "${id}"`);}
			ownsRun = (candidate) => (kind === 'automation' ? candidate.automationId : candidate.pipelineId) === id;
			break;
		}

		case 'task':
		case 'artifact': {
			const parent = kind === 'task' ? 'automation' : 'pipeline';
			if (store.owners(parent, id!).length === 0) {throw notFound(`no ${LABEL[kind]} "${id}"`);}
			currentRun = store.currentRunOfChild(parent, id!);
			ownsRun = (candidate) => {
				const owner = parent === 'automation' ? candidate.automationId : candidate.pipelineId;
				return owner !== undefined && store.owners(parent, id!).includes(owner);
			};

			break;
		}

		case 'all': {
			ownsRun = () => true;
			break;
		}
	}

	if (run !== undefined) {
		const pinned = store.getRun(run);
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
	};
}
