import type {HistoryAnswer} from '../protocol/api.js';
import {levelRank, type Level} from '../protocol/levels.js';
import type {LogRecord} from '../protocol/record.js';
import {sanitizeInline} from '../protocol/sanitize.js';
import {parseSource} from '../protocol/source.js';
import {historyUrl, type StreamRef} from '../protocol/streams.js';
import {normalizeDbtailRecord} from './dialects/dbtail.js';
import {isObject, rawText, text} from './dialects/fields.js';
import type {MessageText} from './dialects/types.js';
import {compareIds} from './ids.js';
import {MAX_ERROR_ANSWER_BYTES, MAX_HISTORY_ANSWER_BYTES, readCappedJson} from './capped-body.js';
import {HttpError} from './sse-connection.js';
import {TokenSource} from './token-source.js';
import type {LogStreamOptions} from './types.js';

const PAGE = 1000;
// A gap is a handful of lines; this bounds a misbehaving server that keeps answering `next`.
const MAX_PAGES = 1000;
/** The largest page a dbtail server gives (docs/protocol.md, History): a reader asked for more gets this many and `more`. */
export const MAX_HISTORY_PAGE = 10_000;
const REQUEST_TIMEOUT_MS = 30_000;

/**
 * A page of a pane's scope: records ascending by id; `more` when the scope holds more beyond the page's far
 * end. `next` is where the next page in the same direction starts (the `before`/`after` to pass): with
 * `grep` a page can be short or empty although more follows (the server's scan budget ran out), so a
 * reader going on goes from `next`, not from the last record it got. `count` answers `count: true`.
 */
export type HistoryPage = {records: LogRecord[]; more: boolean; next?: string; count?: HistoryCount};

/** The matches of a whole range; `complete` false when the server stopped counting (`matches` is then a lower bound). */
export type HistoryCount = {matches: number; complete: boolean};

/**
 * What one read keeps: `grep` the server's pattern (docs/protocol.md, History search; a pane's filter,
 * smart case, in the viewer's language), `level` a floor (the higher of it and the reader's own applies),
 * `count` asks for the number of `grep`'s matches in the whole range, `run` narrows a scope over every run
 * of an entity to that run (`all` and a pinned scope stay as they are).
 */
export type HistoryQuery = {grep?: string; level?: Level; count?: boolean; run?: string};

/**
 * The pull side of a pane, beside its live stream: pages of the pane's scope read from the server.
 * `before(id, n)` is the n records just before `id` (`before(undefined, n)`: the newest n), `after(id, n)`
 * the n just after it; both ascending, both narrowed by `query` when given. Rejects with a one-line
 * message fit for the pane's status.
 */
export type HistoryReader = {
	before(id: string | undefined, limit: number, query?: HistoryQuery): Promise<HistoryPage>;
	after(id: string, limit: number, query?: HistoryQuery): Promise<HistoryPage>;
	/**
	 * The first `limit` records of run `runId` within the scope, in one read (the scope narrowed to the run),
	 * where the reader can: a scope over every run of an entity finds where one of its runs starts at once.
	 */
	firstOfRun?(runId: string, limit: number): Promise<HistoryPage>;
	/**
	 * The first `limit` records of the scope whose time is at or after `time` (an ISO time), in id order:
	 * where `T` lands. `query.run` narrows it as it narrows a page. Only where the server can read from a time.
	 */
	at?(time: string, limit: number, query?: HistoryQuery): Promise<HistoryPage>;
};

export type HistoryReaderOptions = Pick<LogStreamOptions, 'source' | 'server' | 'token' | 'tokenCommand' | 'dialect' | 'level' | 'rawMessages'> & {
	/**
	 * An unpinned entity's scope: every run of it (the default, what its stream resumes over), or only
	 * its current run (`follow --grep`, which reads one run).
	 */
	runs?: 'all' | 'current';
};

/** The higher of two floors: a per-read floor narrows the reader's, never widens it. */
function higherFloor(a: Level | undefined, b: Level | undefined): Level | undefined {
	if (a === undefined || b === undefined) {
		return a ?? b;
	}

	return levelRank(a) >= levelRank(b) ? a : b;
}

/**
 * The history of a source, or undefined where there is none to read. Only a stream name on a dbtail server
 * has one: the server keeps the records and pages them by id (`order=desc`/`asc` on the history route).
 * An http(s) URL is any SSE endpoint, and stratal, datashop and generic servers have no history route the
 * client knows (and their ids, where they have any, cannot be paged): those panes hold what they were sent.
 * A source that cannot be opened has none either; its stream says why.
 *
 * The scope is the stream's own: a pinned run (`?run=`) is that run, an unpinned entity every run of it
 * (`runs=all`, what its stream resumes over), `all` every record.
 */
export function historyReader(options: HistoryReaderOptions): HistoryReader | undefined {
	if (options.dialect !== undefined && options.dialect !== 'dbtail') {
		return undefined;
	}

	let source: ReturnType<typeof parseSource>;
	try {
		source = parseSource(options.source, options.server);
	} catch {
		return undefined;
	}

	if (!source.ref) {
		return undefined;
	}

	return new DbtailHistory(source.server.href, source.ref, options);
}

type Direction = {order: 'asc'; after: string; from?: string} | {order: 'desc'; before: string | undefined};

class DbtailHistory implements HistoryReader {
	readonly #server: string;
	readonly #ref: StreamRef;
	readonly #level: Level | undefined;
	readonly #tokens: TokenSource;
	readonly #messageText: MessageText;
	readonly #everyRun: boolean;

	constructor(server: string, ref: StreamRef, options: HistoryReaderOptions) {
		this.#server = server;
		this.#ref = ref;
		this.#level = options.level;
		this.#everyRun = options.runs !== 'current';
		this.#tokens = new TokenSource(options.token, options.tokenCommand);
		this.#messageText = options.rawMessages ? rawText : text;
	}

	async before(id: string | undefined, limit: number, query: HistoryQuery = {}): Promise<HistoryPage> {
		return this.#page({order: 'desc', before: id}, limit, query);
	}

	async after(id: string, limit: number, query: HistoryQuery = {}): Promise<HistoryPage> {
		return this.#page({order: 'asc', after: id}, limit, query);
	}

	async at(time: string, limit: number, query: HistoryQuery = {}): Promise<HistoryPage> {
		const from = Date.parse(time);
		if (Number.isNaN(from)) {
			throw new RangeError(`${JSON.stringify(time)} is not an ISO time`);
		}

		// `after=0` (ids start at 1) bounds nothing, and says where `next` goes on from.
		const page = await this.#page({order: 'asc', after: '0', from: new Date(from).toISOString()}, limit, query);
		// A server that predates `from=` answers the scope's first records: their times say so.
		if (page.records.some((record) => Date.parse(record.timestamp) < from)) {
			throw new Error(`${new URL(this.#server).origin} cannot read history from a time (its dbtail serve predates from=): upgrade it`);
		}

		return page;
	}

	async firstOfRun(runId: string, limit: number): Promise<HistoryPage> {
		// `all` reads every record (no run to narrow it to); a pinned scope is its run already.
		const narrowed = this.#ref.kind === 'all' || this.#ref.run !== undefined ? this.#ref : {...this.#ref, run: runId};
		return this.#page({order: 'asc', after: '0'}, limit, {}, narrowed);
	}

	async #page(direction: Direction, limit: number, query: HistoryQuery, scope = this.#ref): Promise<HistoryPage> {
		if (!Number.isInteger(limit) || limit < 1) {
			throw new RangeError(`a history page holds 1 or more records, not ${limit}`);
		}

		const ref = query.run !== undefined && scope.kind !== 'all' && scope.run === undefined ? {...scope, run: query.run} : scope;
		const unpinnedEntity = ref.kind !== 'all' && !ref.run;
		const grep = query.grep === '' ? undefined : query.grep;
		const url = historyUrl(this.#server, ref, {
			...direction,
			runs: unpinnedEntity && this.#everyRun ? 'all' : undefined,
			level: higherFloor(this.#level, query.level),
			limit: Math.min(limit, MAX_HISTORY_PAGE),
			grep,
			count: grep !== undefined && query.count ? 'true' : undefined,
		});
		const signal = AbortSignal.timeout(REQUEST_TIMEOUT_MS);
		let response = await get(url, this.#tokens.headers(), signal);
		if (response.status === 401 && this.#tokens.canRefresh) {
			await response.body?.cancel();
			await this.#tokens.refresh();
			response = await get(url, this.#tokens.headers(), signal);
		}

		const answer = await readAnswer(response);
		if (!Array.isArray(answer.logs)) {
			throw new TypeError(`${url.origin} answered history with something other than a page of records`);
		}

		// Without `order` in the answer the server predates it: it read the range ascending, maybe from another run.
		if (answer.order !== direction.order) {
			throw new Error(`${url.origin} cannot page history ${direction.order === 'desc' ? 'backwards' : 'forwards'} (its dbtail serve predates order=): upgrade it`);
		}

		const lower = direction.order === 'asc' ? direction.after : undefined;
		const upper = direction.order === 'desc' ? direction.before : undefined;
		const records = inOrder(normalize(answer.logs, this.#messageText), lower, upper);
		// A page with no record and a `next` is a search that ran out of budget: it goes on, so `next` must move
		// past the request's bound (else a server repeating itself would be read forever).
		const next = typeof answer.next === 'string' && beyond(answer.next, direction) ? answer.next : undefined;
		const more = next !== undefined && (records.length > 0 || grep !== undefined);
		return {records, more, next: more ? next : undefined, count: readCount((answer as {count?: unknown}).count)};
	}
}

/** Whether a page's `next` lies past where the request started, in its direction. */
function beyond(next: string, direction: Direction): boolean {
	if (direction.order === 'asc') {
		return (compareIds(next, direction.after) ?? 0) > 0;
	}

	return direction.before === undefined ? compareIds(next, '0') !== undefined : (compareIds(next, direction.before) ?? 0) < 0;
}

function readCount(count: unknown): HistoryCount | undefined {
	if (!isObject(count) || typeof count.matches !== 'number' || !Number.isFinite(count.matches)) {
		return undefined;
	}

	return {matches: count.matches, complete: count.complete === true};
}

/** Records of `runId` with `afterId < id < beforeId`, ascending, normalized like streamed ones (the RecordSequencer's gap fill). */
export async function fetchRange(
	server: string,
	ref: StreamRef,
	range: {runId: string; afterId?: string; beforeId?: string},
	headers: Record<string, string>,
	signal: AbortSignal,
	messageText: MessageText = text,
): Promise<LogRecord[]> {
	const records: LogRecord[] = [];
	let after = range.afterId;
	for (let page = 0; page < MAX_PAGES; page++) {
		const url = historyUrl(server, {...ref, run: range.runId}, {after, before: range.beforeId, limit: PAGE, order: 'asc'});
		const answer = await readAnswer(await get(url, headers, signal));
		// A server older than `order` reads a bounded range ascending all the same: its answer is taken as it is.
		const logs = Array.isArray(answer.logs) ? answer.logs : [];
		records.push(...normalize(logs, messageText));
		if (!answer.next || logs.length === 0) {
			break;
		}

		after = String(answer.next);
	}

	return records;
}

async function get(url: URL, headers: Record<string, string>, signal: AbortSignal): Promise<Response> {
	try {
		return await fetch(url, {headers: {Accept: 'application/json', ...headers}, signal});
	} catch (error) {
		const cause = (error as {cause?: {code?: string}}).cause?.code;
		throw new Error(`cannot reach ${url.origin} for history${cause ? ` (${cause})` : `: ${(error as Error).message}`}`, {cause: error});
	}
}

/** The answer's JSON, or an HttpError that carries the server's own one-line reason. */
async function readAnswer(response: Response): Promise<Partial<HistoryAnswer>> {
	if (response.status !== 200) {
		let reason = '';
		try {
			const body = (await readCappedJson(response, MAX_ERROR_ANSWER_BYTES, 'an error')) as {error?: {message?: unknown}};
			reason = typeof body?.error?.message === 'string' ? `: ${sanitizeInline(body.error.message).slice(0, 200)}` : '';
		} catch {
			// Not a dbtail error body (or too large to be one): the status says it.
		}

		throw new HttpError(response.status, `history answered HTTP ${response.status}${reason}`);
	}

	const body = await readCappedJson(response, MAX_HISTORY_ANSWER_BYTES, 'a history page');
	return isObject(body) ? (body as Partial<HistoryAnswer>) : {};
}

function normalize(logs: unknown[], messageText: MessageText): LogRecord[] {
	const receivedAt = Date.now();
	return logs.filter((raw) => isObject(raw)).map((raw) => normalizeDbtailRecord(raw, undefined, receivedAt, messageText));
}

/** What a page promises, whatever a server sent: ids inside the bounds, each greater than the one before. */
function inOrder(records: LogRecord[], after: string | undefined, before: string | undefined): LogRecord[] {
	const kept: LogRecord[] = [];
	// Ids start at 1, so '0' is below every one (and an id that is not decimal compares as undefined: dropped).
	let last = after ?? '0';
	for (const record of records) {
		const {id} = record;
		const rising = id !== undefined && (compareIds(id, last) ?? 0) > 0;
		if (rising && (before === undefined || (compareIds(id, before) ?? 0) < 0)) {
			kept.push(record);
			last = id;
		}
	}

	return kept;
}
