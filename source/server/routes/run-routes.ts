import type {ServerResponse} from 'node:http';
import type {RunsAnswer, RunSummary, RunTasksAnswer} from '../../protocol/api.js';
import type {LinePattern} from '../../protocol/pattern.js';
import {notFound} from '../api-error.js';
import type {ServerContext} from '../context.js';
import {COUNT_BUDGET, scanMatches} from '../history-search.js';
import {sendJson} from '../http/http-util.js';
import {parseRunsParams} from '../params.js';
import {summarizeRun, summarizeTasks} from '../run-summaries.js';
import type {EntityKind} from '../store/types.js';

/**
 * `GET /api/automations/{id}/runs`, `/api/pipeline/{id}/runs`: the entity's runs newest first with their
 * counters, `limit` a page, `next` the last run's id to pass as `before`. One more run than the page says
 * whether `next` leads anywhere. An entity with no run is 404 (with `before`, an empty page is an answer).
 */
export async function runsOfEntity(ctx: ServerContext, res: ServerResponse, url: URL, kind: EntityKind, entityId: string): Promise<void> {
	const params = parseRunsParams(url.searchParams);
	const rows = await ctx.store.runsOf(kind, entityId, {before: params.before, limit: params.limit + 1});
	if (rows.length === 0 && params.before === undefined) {throw notFound(`no ${kind} "${entityId}"`);}
	const now = new Date();
	const runs = rows.slice(0, params.limit).map((row) => summarizeRun(row, now));
	if (params.grep) {
		const pattern = params.grep;
		await ctx.scans.run(async () => countMatches(ctx, kind, entityId, runs, pattern));
	}
	const answer: RunsAnswer = {runs, next: rows.length > params.limit ? runs.at(-1)!.runId : null};
	sendJson(res, 200, answer);
}

/**
 * `grep=`: each run's matching lines counted, newest run first, all of them within one count budget
 * (history-search.ts): once it is spent, the older runs say `complete: false` with what was counted.
 */
async function countMatches(ctx: ServerContext, kind: EntityKind, entityId: string, runs: RunSummary[], pattern: LinePattern): Promise<void> {
	let rows = COUNT_BUDGET.rows;
	const deadline = performance.now() + COUNT_BUDGET.ms;
	for (const run of runs) {
		const ms = deadline - performance.now();
		if (rows <= 0 || ms <= 0) {
			run.matches = {count: 0, complete: false};
			continue;
		}

		const counted = await scanMatches(ctx.store, {kind, id: entityId, runId: run.runId}, {order: 'asc'}, pattern, 0, {rows, ms}, true);
		rows -= counted.scanned;
		run.matches = {count: counted.matched, complete: counted.exhausted};
	}
}

/**
 * `GET /api/runs/{runId}/tasks`: the run with its counters, and its tasks or artifacts in the order they first
 * logged or were reported, each with its reported or derived state (run-summaries.ts).
 */
export async function runTasks(ctx: ServerContext, res: ServerResponse, runId: string): Promise<void> {
	const counted = await ctx.store.countedRun(runId);
	if (!counted) {throw notFound(`no run "${runId}"`);}
	const [children, reports] = await Promise.all([ctx.store.runChildren(runId), ctx.store.taskReports(runId)]);
	const now = new Date();
	const answer: RunTasksAnswer = {run: summarizeRun(counted, now), tasks: summarizeTasks(counted.run, children, reports, now)};
	sendJson(res, 200, answer);
}
