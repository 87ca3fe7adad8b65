import type {IncomingMessage, ServerResponse} from 'node:http';
import type {HistoryAnswer, StreamStatus} from '../../protocol/api.js';
import {linePrefix} from '../../protocol/line-text.js';
import {recordLabel} from '../../protocol/record.js';
import {sanitizeText} from '../../protocol/sanitize.js';
import type {StreamKind} from '../../protocol/streams.js';
import {badRequest, notFound} from '../api-error.js';
import type {ServerContext} from '../context.js';
import {drainedOrGone, sendJson} from '../http/http-util.js';
import {historyFrom} from '../history-from.js';
import {COUNT_BUDGET, scanMatches, SEARCH_BUDGET} from '../history-search.js';
import {parseHistoryParams, type HistoryParams} from '../params.js';
import type {Scope} from '../store/scope.js';
import type {LinePattern} from '../../protocol/pattern.js';
import {resolveServedStream} from '../served-stream.js';

/**
 * History, a page of one scope (the entity's current run unless `currentRunID` or `runs=all` says otherwise):
 * `order=asc` the first `limit` records of the range `after < id < before`, `order=desc` the last `limit`
 * (the page just before `before`: what a client scrolling up wants). Records are ascending either way, and
 * `next` is set when more lie beyond the page's far end: its last id to pass as `after` (asc), its first to
 * pass as `before` (desc). Without `order` the direction is what it was before `order` existed: ascending
 * with a bound, and with neither bound the newest `limit` records and `next: null`. `from=<time>` is one more
 * bound of the range (records with `timestamp >=` it, still in id order): with it `order` defaults to asc, the
 * first records at or after the time (the viewer's `T`); desc is the newest of them.
 */
export async function history(ctx: ServerContext, res: ServerResponse, url: URL, kind: StreamKind, idParam?: string): Promise<void> {
	const params = parseHistoryParams(url.searchParams);
	let id: string | undefined;
	if (idParam) {
		id = url.searchParams.get(idParam) ?? undefined;
		if (!id) {throw badRequest(`${idParam} is required`);}
	}

	const target = await resolveServedStream(ctx.store, kind, id, params.run);
	const runId = kind === 'all' || params.allRuns ? params.run : target.currentRun?.runId;
	const scope = {...target.scope, runId};
	const bounded = params.after !== undefined || params.before !== undefined || params.fromTime !== undefined;
	const order = params.order ?? (bounded ? 'asc' : 'desc');
	if (params.grep) {
		const pattern = params.grep;
		// The slot is held for the scan, not for the writing: a client that reads slowly holds no search slot.
		const found = await ctx.scans.run(async () => search(ctx, scope, {...params, grep: pattern}, order));
		await writeAnswer(res, found.json, found.tail);
		return;
	}

	// One record more than the page says whether `next` leads anywhere, so a client never asks for an empty page.
	const query = {after: params.after, before: params.before, level: params.level, limit: params.limit + 1, order, maxBytes: HISTORY_ANSWER_BYTES};
	// A time bound is read in windows of ids (history-from.ts): one store read from the run's start would hold SQLite.
	const {records, cut} = params.fromTime === undefined ? await ctx.store.history(scope, query) : await historyFrom(ctx.store, scope, {...query, fromTime: params.fromTime});
	const whole = records.length > params.limit ? (order === 'asc' ? records.slice(0, -1) : records.slice(1)) : records;
	const answer = await budgetedAnswer(whole, order);
	if (answer.cut) {ctx.metrics.historyCut.inc();}
	const more = records.length > params.limit || cut === true || answer.cut;
	const chained = params.order !== undefined || bounded;
	const next = more && chained ? answer.edgeId : null;
	await writeAnswer(res, answer.json, {next, order});
}

/**
 * A history page of the records `grep` matches (docs/protocol.md, History search): the scan stops at `limit`
 * matches or at its budget, and `next` says where to go on either way; `scanned` says how many records it read.
 * With `count=true` the matches of the whole range are counted too, within a budget of their own.
 */
async function search(
	ctx: ServerContext,
	scope: Scope,
	params: HistoryParams & {grep: LinePattern},
	order: 'asc' | 'desc',
): Promise<{json: string[]; tail: Record<string, unknown>}> {
	const range = {after: params.after, before: params.before, level: params.level};
	const found = await scanMatches(ctx.store, scope, {...range, order}, params.grep, params.limit + 1, SEARCH_BUDGET);
	const kept = found.matches.slice(0, params.limit);
	const answer = await budgetedAnswer(order === 'asc' ? kept : kept.toReversed(), order);
	let next: string | null = null;
	if (answer.cut || found.matches.length > params.limit) {next = answer.edgeId;}
	else if (!found.exhausted) {next = String(found.edge);}
	const extra: Record<string, unknown> = {scanned: found.scanned};
	if (params.count) {
		const counted = await scanMatches(ctx.store, scope, {...range, order: 'asc'}, params.grep, 0, COUNT_BUDGET, true);
		extra.count = {matches: counted.matched, complete: counted.exhausted};
	}

	return {json: answer.json, tail: {next, order, ...extra}};
}

/** Written piece by piece, each when the socket has taken the last: the answer is never one more string in memory. */
async function writeAnswer(res: ServerResponse, records: string[], tail: Record<string, unknown>): Promise<void> {
	res.writeHead(200, {'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store'});
	const pieces = ['{"logs":[', ...records.map((json, i) => (i === 0 ? json : `,${json}`)), `],${JSON.stringify(tail).slice(1)}`];
	for (const piece of pieces) {
		if (res.destroyed) {return;}
		if (!res.write(piece)) {await drainedOrGone(res);}
	}

	res.end();
}

/**
 * Most JSON a history answer holds (4 MiB): the store reads at most this much text, and the answer holds
 * records until their escaped JSON reaches it (a line of control characters grows sixfold when escaped).
 * A page cut short says `next`, so a client reads on; it always holds one record, however large.
 */
export const HISTORY_ANSWER_BYTES = 4 * 1024 * 1024;

/** Serializing this much JSON, an answer lets other requests run before it goes on. */
const YIELD_BYTES = 256 * 1024;

/**
 * The records of an answer as JSON, from the end the page was read from (the first for asc, the last for desc)
 * until the budget: `edgeId` is the id to go on from (the last kept, or for desc the first kept). A page of huge
 * lines is serialized a slice at a time: 8 readers of 1 MB lines held the event loop 1.6 s when each answer was
 * built in one go.
 */
async function budgetedAnswer(records: HistoryAnswer['logs'], order: 'asc' | 'desc'): Promise<{json: string[]; cut: boolean; edgeId: string | null}> {
	const json: string[] = [];
	let bytes = 0;
	let sinceYield = 0;
	let cut = false;
	let edgeId: string | null = null;
	for (let i = 0; i < records.length; i++) {
		if (sinceYield >= YIELD_BYTES) {
			sinceYield = 0;
			await new Promise((resolve) => setImmediate(resolve));
		}

		const record = records[order === 'asc' ? i : records.length - 1 - i]!;
		const text = JSON.stringify(record);
		const size = Buffer.byteLength(text) + 1;
		bytes += size;
		sinceYield += size;
		if (json.length > 0 && bytes > HISTORY_ANSWER_BYTES) {
			cut = true;
			break;
		}

		json.push(text);
		edgeId = record.id;
	}

	if (order === 'desc') {json.reverse();}
	return {json, cut, edgeId};
}

export async function catalog(ctx: ServerContext, res: ServerResponse): Promise<void> {
	sendJson(res, 200, await ctx.store.catalog());
}

export async function runInfo(ctx: ServerContext, res: ServerResponse, runId: string): Promise<void> {
	const run = await ctx.store.getRun(runId);
	if (!run) {throw notFound(`no run "${runId}"`);}
	sendJson(res, 200, run);
}

export function streamStatus(ctx: ServerContext, res: ServerResponse): void {
	const counts = new Map<string, number>();
	for (const session of ctx.sessions) {
		counts.set(session.streamName, (counts.get(session.streamName) ?? 0) + 1);
	}

	const status: StreamStatus = {
		connections: ctx.sessions.size,
		streams: [...counts].map(([stream, connections]) => ({stream, connections})).sort((a, b) => a.stream.localeCompare(b.stream)),
	};
	sendJson(res, 200, status);
}

/** A download reads at most this much text per page: a run of huge lines is never read 1,000 at a time. */
const DOWNLOAD_PAGE_BYTES = 1024 * 1024;

/** The whole run as plain text, read and written in pages so a huge run costs little memory. */
export async function download(ctx: ServerContext, req: IncomingMessage, res: ServerResponse, runId: string): Promise<void> {
	const run = await ctx.store.getRun(runId);
	if (!run) {throw notFound(`no run "${runId}"`);}
	res.writeHead(200, {
		'content-type': 'text/plain; charset=utf-8',
		'content-disposition': `attachment; filename="${runId}.log"`,
		'cache-control': 'no-store',
	});
	let after = 0;
	for (;;) {
		const {records: page} = await ctx.store.history({kind: 'all', runId}, {after, limit: 1000, maxBytes: DOWNLOAD_PAGE_BYTES});
		if (page.length === 0 || req.destroyed) {break;}
		const text = page
			.map((record) => {
				// Sanitized: a download is often `curl`ed straight to a terminal.
				return `${linePrefix(record.timestamp, record.level, recordLabel(record))}${sanitizeText(record.message)}\n`;
			})
			.join('');
		after = Number(page.at(-1)!.id);
		if (!res.write(text)) {await drainedOrGone(res);}
	}

	res.end();
}
