import type {HistoryReader} from '../../source/client/history.js';
import type {RunSummary, RunsAnswer, RunTasksAnswer} from '../../source/protocol/api.js';
import type {RunAccess, RunEntity} from '../../source/model/run-access.js';
import type {ViewerKey} from '../../source/model/viewer-key.js';
import {ViewerState} from '../../source/model/viewer-state.js';
import {Workspace} from '../../source/model/workspace.js';
import {MemoryStream} from '../ui/memory-stream.js';

/*
 * Run lists and task summaries the test hands over when it says (`answerAll`): the state model's side of
 * `[`, `]`, `H` and `i` without a server. The fetchers are the seam the command fills with the client's
 * requests; test/ui/live-server.test.tsx runs the same keys over a real dbtail serve.
 */

export const run = (number: number, status: RunSummary['status'] = 'failed', extra: Partial<RunSummary> = {}): RunSummary => ({
	runId: `r-${number}`,
	status,
	startedAt: '2026-11-22T10:00:00.000Z',
	automationId: 'etl',
	durationMs: 252_000,
	lines: 100,
	warnings: 1,
	errors: number % 2,
	...extra,
});

/** Runs r-`total` (newest, running) down to r-1, in pages of `page`; `grep` marks the odd runs with `number` matches. */
export function runList({page = 4, total = 10, tasks}: {page?: number; total?: number; tasks?: (runId: string) => RunTasksAnswer} = {}) {
	const all = [run(total, 'running'), ...Array.from({length: total - 1}, (_, index) => run(total - 1 - index))];
	const asked: Array<{entity: RunEntity; before?: string; grep?: string}> = [];
	const tasksAsked: string[] = [];
	const waiting: Array<() => void> = [];
	let failure: string | undefined;
	const answer = async () => {
		await new Promise<void>((resolve) => waiting.push(resolve));
		if (failure) {
			throw new Error(failure);
		}
	};

	const access: RunAccess = {
		async runs(entity, before, grep) {
			asked.push({entity, before, ...(grep === undefined ? {} : {grep})});
			await answer();
			const from = before === undefined ? 0 : all.findIndex((each) => each.runId === before) + 1;
			const runs = all.slice(from, from + page).map((each) => {
				const number = Number(each.runId.slice(2));
				return grep === undefined ? each : {...each, matches: {count: number % 2 === 1 ? number : 0, complete: true}};
			});
			return {runs, next: from + page < all.length ? runs.at(-1)!.runId : null} satisfies RunsAnswer;
		},
		async tasks(runId) {
			tasksAsked.push(runId);
			await answer();
			if (!tasks) {
				throw new Error(`the server answered 404 for the tasks of run ${runId}`);
			}

			return tasks(runId);
		},
	};
	/** Answers every request waiting, and the ones they lead to, until none waits. */
	const answerAll = async () => {
		for (let turn = 0; turn < 50; turn++) {
			await new Promise((resolve) => setImmediate(resolve));
			for (const resolve of waiting.splice(0)) {
				resolve();
			}
		}
	};

	return {
		access,
		asked,
		tasksAsked,
		answerAll,
		all,
		fail(message: string | undefined) {
			failure = message;
		},
	};
}

/**
 * A viewer with two panes, `all` and `source` (focused), whose runs `access` answers; the catalog names etl's
 * task. A source named in `histories` has that history beside its stream; the others have none.
 */
export function viewerOn(source: string, access: RunAccess, histories: Record<string, HistoryReader> = {}) {
	const streams: MemoryStream[] = [];
	const workspace = new Workspace({
		server: 'http://dbtail.test',
		runs: access,
		factory(name) {
			const stream = new MemoryStream(name);
			streams.push(stream);
			return histories[name] ? {stream, history: histories[name]} : stream;
		},
	});
	workspace.resize({columns: 100, rows: 20});
	workspace.open('all');
	workspace.open(source);
	const viewer = new ViewerState({workspace, loadSources: async () => [{name: 'task/extract', owners: ['automation/etl']}], shell: {quit() {}, redraw() {}, suspend() {}, copy: async () => ({ok: true, message: ''})}});
	return {workspace, viewer, streams, feed: (...keys: ViewerKey[]) => viewer.feed(keys)};
}

