import {describe, expect, it} from 'vitest';
import {runCli, tempConfigDir} from '../follow/run-cli.js';
import {startScriptedServer, type ScriptedAnswer} from '../helpers/scripted-sse-server.js';

/*
 * The event-stream format, case by case, against the real `dbtail follow`: each case is the bytes a server
 * sends (in 1 to 3 byte writes, so every split point is exercised), what the WHATWG algorithm makes of them
 * ("Parsing an event stream", "Interpreting an event stream"; cases after the WPT eventsource tests and the
 * LaunchDarkly SSE contract tests), and so what follow must print and send back as Last-Event-ID when it
 * reconnects. The second connection answers 204 (the spec's "stop"), so follow ends with exit 3.
 *
 * Where dbtail reads a dispatched event differently from a browser, the case says so: an event whose data
 * is blank is no log line (a browser dispatches it), a named event other than `message` is shown with its
 * name (`progress: 50%`), keep-alive names (`ping`) are not shown.
 */

type Case = {
	name: string;
	body: string;
	/** Messages printed, in order (from --json). */
	lines: string[];
	/** Ids of the printed records, when the case is about them. */
	ids?: Array<string | undefined>;
	/** What the reconnect sends as Last-Event-ID (undefined: no header). */
	lastEventId?: string;
	contentType?: string;
	maxWrite?: number;
	/** No --dialect generic: the dialect is detected. */
	detect?: boolean;
	stderr?: RegExp;
};

const MB = 'x'.repeat(1024 * 1024);

const CASES: Case[] = [
	// Line endings and framing
	{name: 'LF line endings', body: 'data: a\n\ndata: b\n\n', lines: ['a', 'b']},
	{name: 'CRLF line endings', body: 'data: a\r\n\r\ndata: b\r\n\r\n', lines: ['a', 'b']},
	{name: 'CR line endings', body: 'data: a\r\rdata: b\r\r', lines: ['a', 'b']},
	{name: 'mixed line endings in one stream', body: 'data: a\r\n\ndata: b\r\rdata: c\n\r\n', lines: ['a', 'b', 'c']},
	{name: 'several data lines join with LF', body: 'data: a\ndata: b\r\ndata: c\rdata\n\n', lines: ['a\nb\nc\n']},
	{name: 'a leading BOM is dropped', body: '\uFEFFdata: a\n\n', lines: ['a']},
	{name: 'a second BOM is part of the first field name, so that line is ignored', body: '\uFEFF\uFEFFdata: a\n\ndata: b\n\n', lines: ['b']},
	{name: 'comments are ignored', body: ': hello\n:\ndata: a\n: between\n\n', lines: ['a']},
	{name: 'one space after the colon is dropped, not two', body: 'data:a\n\ndata:  b\n\n', lines: ['a', ' b']},
	{name: 'a colon in the value stays', body: 'data: a: b:c\n\n', lines: ['a: b:c']},
	{name: 'unknown fields are ignored', body: 'foo: bar\nDATA: no\ndata: a\n\n', lines: ['a']},
	{name: 'a field name without a colon is the whole line', body: 'data\ndata\ndata: a\n\n', lines: ['\n\na']},
	{name: 'an event at the end without its blank line is discarded', body: 'data: a\n\ndata: b', lines: ['a']},
	{name: 'an event at the end without its blank line is discarded, even after its LF', body: 'data: a\n\ndata: b\n', lines: ['a']},
	{name: 'CR at the end of a write and LF at the start of the next are one line end', body: 'data: a\r\n\r\ndata: b\r\n\r\n', lines: ['a', 'b'], maxWrite: 1},
	{name: 'multi-byte characters split across writes', body: 'data: 日本語 👨‍👩‍👧 café\n\n', lines: ['日本語 👨‍👩‍👧 café'], maxWrite: 1},
	{name: 'a 1 MB line', body: `data: ${MB}\n\n`, lines: [MB], maxWrite: 65_536},
	// Blank events: a browser dispatches them; no log line carries nothing.
	{name: 'blank and whitespace-only data is no line', body: 'data:\n\ndata:   \n\ndata: a\n\n', lines: ['a']},
	// retry:
	{name: 'retry: with digits only is taken, anything else ignored', body: 'retry: 1a\nretry: -5\nretry: 10\ndata: a\n\n', lines: ['a']},
	// event:
	{name: 'an unnamed event and an event named message are lines', body: 'event: message\ndata: a\n\ndata: b\n\n', lines: ['a', 'b']},
	{name: 'another named event is shown with its name', body: 'event: progress\ndata: 50%\n\n', lines: ['progress: 50%']},
	{name: 'keep-alive events are not lines', body: 'event: ping\ndata: {}\n\nevent: heartbeat\ndata: 1\n\ndata: a\n\n', lines: ['a']},
	{name: 'the event name is reset after each event', body: 'event: progress\ndata: a\n\ndata: b\n\n', lines: ['progress: a', 'b']},
	// id: and the resume point
	{name: 'an id is the record id and the resume point', body: 'id: 7\ndata: a\n\n', lines: ['a'], ids: ['7'], lastEventId: '7'},
	{name: 'an event without an id keeps the resume point', body: 'id: 7\ndata: a\n\ndata: b\n\n', lines: ['a', 'b'], ids: ['7', undefined], lastEventId: '7'},
	{name: 'an empty id resets the resume point', body: 'id: 7\ndata: a\n\nid\ndata: b\n\n', lines: ['a', 'b'], ids: ['7', undefined]},
	{name: 'an empty id on a block without data resets it too', body: 'id: 7\ndata: a\n\nid:\n\n', lines: ['a']},
	{name: 'an id on a block without data sets the resume point', body: 'id: 7\ndata: a\n\nid: 9\n\n', lines: ['a'], lastEventId: '9'},
	{name: 'an id with NUL in it is ignored', body: 'id: 7\ndata: a\n\nid: 8\u0000\ndata: b\n\n', lines: ['a', 'b'], ids: ['7', undefined], lastEventId: '7'},
	{name: 'the last id in a block wins', body: 'id: 1\nid: 2\ndata: a\n\n', lines: ['a'], ids: ['2'], lastEventId: '2'},
	{name: 'a non-Latin-1 id goes back as UTF-8, as browsers send it', body: 'id: 日本\ndata: a\n\n', lines: ['a'], lastEventId: '日本'},
	{name: 'a Latin-1 id goes back as UTF-8 too', body: 'id: café\ndata: a\n\n', lines: ['a'], lastEventId: 'café'},
	{
		name: 'an id no header can carry is said, and the reconnect goes without it',
		body: 'id: a\u0001b\ndata: a\n\n',
		lines: ['a'],
		stderr: /no HTTP header can carry/,
	},
	// Media types
	{name: 'the media type is case-insensitive and may carry parameters', body: 'data: a\n\n', lines: ['a'], contentType: 'Text/Event-Stream; Charset=UTF-8'},
	// Dialects: nothing a dialect cannot read vanishes.
	{
		name: 'plain text in `event: log` (taken for Stratal) is still printed',
		body: 'event: log\ndata: plain text one\n\nevent: log\ndata: plain text two\n\n',
		lines: ['plain text one', 'plain text two'],
		detect: true,
		stderr: /cannot read is shown as plain text/,
	},
];

/** Runs follow against a server of its own (the cases run concurrently), and closes that server after. */
async function follow(script: (connection: number) => ScriptedAnswer, args: string[]) {
	const server = await startScriptedServer(script);
	try {
		const cli = runCli(['follow', server.url, '--json', ...args], {env: {DBTAIL_CONFIG_DIR: tempConfigDir()}});
		const code = await cli.exited;
		const records = cli
			.stdout()
			.split('\n')
			.filter(Boolean)
			.map((line) => JSON.parse(line) as {id?: string; message: string});
		return {code, records, stderr: cli.stderr(), requests: server.requests};
	} finally {
		await server.close();
	}
}

describe.concurrent('the event-stream format, as `dbtail follow` reads it', () => {
	it.each(CASES)('$name', async (c) => {
		const answer = (connection: number): ScriptedAnswer =>
			connection === 1 ? {body: c.body, contentType: c.contentType, maxWrite: c.maxWrite} : {status: 204};
		const {code, records, stderr, requests} = await follow(answer, c.detect ? [] : ['--dialect', 'generic']);
		expect(records.map((record) => record.message), stderr).toEqual(c.lines);
		if (c.ids) {
			expect(records.map((record) => record.id)).toEqual(c.ids);
		}

		expect(requests, stderr).toHaveLength(2);
		expect(requests[1]!.lastEventId).toBe(c.lastEventId);
		if (c.stderr) {
			expect(stderr).toMatch(c.stderr);
		}

		expect(code, stderr).toBe(3);
	});

	it('refuses a type that only starts like text/event-stream, once, with exit 2', async () => {
		const {code, records, stderr, requests} = await follow(() => ({body: 'data: a\n\n', contentType: 'text/event-streamx'}), []);
		expect(records).toEqual([]);
		expect(stderr).toMatch(/not an event stream \(Content-Type: text\/event-streamx\)/);
		expect(requests).toHaveLength(1);
		expect(code).toBe(2);
	});

	it('ends on a 204, the spec\'s "stop": exit 3, no retry, a plain message', async () => {
		const {code, stderr, requests} = await follow(() => ({status: 204}), []);
		expect(stderr).toContain('the server has nothing more to send for this stream (HTTP 204)');
		expect(requests).toHaveLength(1);
		expect(code).toBe(3);
	});
});
