import {LEVELS, parseLevel, type Level} from '../protocol/levels.js';
import {compilePattern, type LinePattern} from '../protocol/pattern.js';
import {ENTITY_ID} from '../protocol/record.js';
import {ENTITY_ID_RULE} from '../protocol/streams.js';
import {parseSince} from '../protocol/time.js';
import {badRequest} from './api-error.js';

/*
 * Query parameters of streams and history, read strictly: a bad value is a 400 whose message names the
 * parameter and says what it takes, never a silent default.
 */

export type StreamParams = {
	resumeAfter?: number;
	initial?: number;
	fromTime?: string;
	level?: Level;
	follow: boolean;
	heartbeatMs: number;
	run?: string;
	/** With a resume point: the run the client follows (not a filter: the stream still carries the whole scope). */
	current?: string;
};

export type HistoryParams = {
	after?: number;
	before?: number;
	limit: number;
	level?: Level;
	run?: string;
	/** `runs=all`: every run of the entity, the scope its stream resumes over (not with `currentRunID`). */
	allRuns: boolean;
	/** Which end of the range a page is cut from; undefined: as before `order` existed (see read-routes.ts). */
	order?: 'asc' | 'desc';
	/** `grep=`: only records the pattern matches (history-search.ts). */
	grep?: LinePattern;
	/** `count=true` (with `grep`): also count the matches in the whole range. */
	count: boolean;
	/** `from=`: only records with `timestamp >=` this (ISO), one more bound of the range, read as the stream's `from=`. */
	fromTime?: string;
};

/** Longest pattern `grep=` takes: a pattern is typed, not generated. */
export const MAX_GREP_LENGTH = 1000;

export const MAX_HISTORY_LIMIT = 10_000;

export function parseLogId(value: string, name: string): number {
	if (!/^\d{1,15}$/.test(value.trim())) {
		throw badRequest(`${name} ${JSON.stringify(value)} is not a log id (a decimal number)`);
	}

	return Number(value.trim());
}

function parseCount(value: string, name: string, max: number): number {
	if (!/^\d{1,9}$/.test(value) || Number(value) > max) {
		throw badRequest(`${name} ${JSON.stringify(value)} must be a whole number from 0 to ${max}`);
	}

	return Number(value);
}

function parseLevelParam(value: string): Level {
	const level = parseLevel(value);
	if (!level) {
		throw badRequest(`level ${JSON.stringify(value)} is not a level (use one of ${LEVELS.join(', ')})`);
	}

	return level;
}

function parseRunParam(value: string, name: string): string {
	if (!ENTITY_ID.test(value)) {
		throw badRequest(`${name} ${JSON.stringify(value)} is not a run id (${ENTITY_ID_RULE})`);
	}

	return value;
}

/** `from=`, on streams and history alike: an ISO time, or a duration back from the server's clock. */
function parseFromTime(value: string, now: number): string {
	const from = parseSince(value, now);
	if (!from) {
		throw badRequest(`from ${JSON.stringify(value)} is not a time (use an ISO time, or 30s, 5m, 2h, 1d back)`);
	}

	return from.toISOString();
}

/** `Last-Event-ID` wins over `since`; `initial` and `from` only count when there is no resume point. */
export function parseStreamParams(
	query: URLSearchParams,
	lastEventId: string | undefined,
	defaultHeartbeatMs: number,
	now = Date.now(),
): StreamParams {
	const params: StreamParams = {follow: true, heartbeatMs: defaultHeartbeatMs};
	if (lastEventId !== undefined && lastEventId.trim() !== '') {
		params.resumeAfter = parseLogId(lastEventId, 'Last-Event-ID');
	} else if (query.has('since')) {
		params.resumeAfter = parseLogId(query.get('since')!, 'since');
	}

	if (query.has('initial')) {params.initial = parseCount(query.get('initial')!, 'initial', 1_000_000);}
	if (query.has('from')) {params.fromTime = parseFromTime(query.get('from')!, now);}
	if (query.has('level')) {params.level = parseLevelParam(query.get('level')!);}
	if (query.has('follow')) {
		const follow = query.get('follow');
		if (follow !== 'true' && follow !== 'false') {
			throw badRequest(`follow ${JSON.stringify(follow)} must be true or false`);
		}

		params.follow = follow === 'true';
	}

	if (query.has('heartbeat')) {
		const seconds = Number(query.get('heartbeat'));
		if (!/^\d+(\.\d+)?$/.test(query.get('heartbeat')!) || seconds < 1 || seconds > 60) {
			throw badRequest(`heartbeat ${JSON.stringify(query.get('heartbeat'))} must be a number of seconds from 1 to 60`);
		}

		params.heartbeatMs = Math.round(seconds * 1000);
	}

	if (query.has('run')) {params.run = parseRunParam(query.get('run')!, 'run');}
	if (query.has('current')) {params.current = parseRunParam(query.get('current')!, 'current');}
	return params;
}

export function parseHistoryParams(query: URLSearchParams, now = Date.now()): HistoryParams {
	const params: HistoryParams = {limit: 1000, allRuns: false, count: false};
	if (query.has('after')) {params.after = parseLogId(query.get('after')!, 'after');}
	if (query.has('before')) {params.before = parseLogId(query.get('before')!, 'before');}
	if (query.has('limit')) {
		params.limit = parseCount(query.get('limit')!, 'limit', MAX_HISTORY_LIMIT);
		if (params.limit === 0) {throw badRequest(`limit must be from 1 to ${MAX_HISTORY_LIMIT}`);}
	}

	if (query.has('level')) {params.level = parseLevelParam(query.get('level')!);}
	if (query.has('currentRunID')) {params.run = parseRunParam(query.get('currentRunID')!, 'currentRunID');}
	if (query.has('order')) {
		const order = query.get('order');
		if (order !== 'asc' && order !== 'desc') {throw badRequest(`order ${JSON.stringify(order)} must be asc or desc`);}
		params.order = order;
	}

	if (query.has('runs')) {
		if (query.get('runs') !== 'all') {throw badRequest(`runs ${JSON.stringify(query.get('runs'))} must be all (or leave it out for one run)`);}
		if (params.run !== undefined) {throw badRequest('runs=all and currentRunID name different scopes: send one of them');}
		params.allRuns = true;
	}

	if (query.has('grep')) {params.grep = parseGrep(query.get('grep')!);}
	if (query.has('count')) {
		const count = query.get('count');
		if (count !== 'true' && count !== 'false') {throw badRequest(`count ${JSON.stringify(count)} must be true or false`);}
		if (!params.grep) {throw badRequest('count=true counts the matches of grep=: send a pattern with it');}
		params.count = count === 'true';
	}

	if (query.has('from')) {
		// A search scans pages of its own (history-search.ts), which take no time bound: refused, not ignored.
		if (params.grep) {throw badRequest('from= and grep= are not taken together: read from the time, then search after the id it gives');}
		params.fromTime = parseFromTime(query.get('from')!, now);
	}

	return params;
}

/** A pattern in the viewer's language (smart case, RE2): one whose compile fails is a 400 saying why. */
function parseGrep(text: string): LinePattern {
	if (text === '') {throw badRequest('grep is empty: send a pattern, or leave grep out');}
	if (text.length > MAX_GREP_LENGTH) {throw badRequest(`grep is ${text.length} characters long: at most ${MAX_GREP_LENGTH}`);}
	const compiled = compilePattern(text, {allowExclude: false});
	if (!compiled.pattern) {throw badRequest(`grep ${JSON.stringify(text)}: ${compiled.error ?? 'not a pattern'}`);}
	return compiled.pattern;
}

export type RunsParams = {before?: string; limit: number; grep?: LinePattern};

export const MAX_RUNS_LIMIT = 1000;

/** `GET .../runs`: `before=<runId>` (older runs than it), `limit` 1 to 1,000 (default 50), `grep` as history's. */
export function parseRunsParams(query: URLSearchParams): RunsParams {
	const params: RunsParams = {limit: 50};
	if (query.has('before')) {params.before = parseRunParam(query.get('before')!, 'before');}
	if (query.has('limit')) {
		params.limit = parseCount(query.get('limit')!, 'limit', MAX_RUNS_LIMIT);
		if (params.limit === 0) {throw badRequest(`limit must be from 1 to ${MAX_RUNS_LIMIT}`);}
	}

	if (query.has('grep')) {params.grep = parseGrep(query.get('grep')!);}
	return params;
}
