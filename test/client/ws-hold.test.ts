import {afterEach, describe, expect, it} from 'vitest';
import type {SseMessage} from '../../source/client/dialects/index.js';
import type {HistoryEndpoint} from '../../source/client/ws-history.js';
import {HOLD_CHARS, WsResume} from '../../source/client/ws-resume.js';
import {collect} from './collect.js';
import {wsServer} from './ws-test-server.js';

/*
 * A WebSocket connection's live frames are held while its history is read (ws-resume.ts); past HOLD_CHARS of
 * them the socket is held too, so a fast server meets a slow reader instead of filling the client's memory
 * (bench:follow's ws:// row held 64,000 frames behind a history read that failed after a second).
 */

/** A history endpoint whose one page comes when the test says. */
function heldHistory(): {endpoint: HistoryEndpoint; answer: () => void} {
	let answer!: () => void;
	const answered = new Promise<void>((resolve) => {
		answer = resolve;
	});
	return {
		answer,
		endpoint: {
			name: 'GET /logs',
			async * read() {
				await answered;
				yield [];
			},
		},
	};
}

const frameOf = (index: number): SseMessage => ({data: JSON.stringify({timestamp: new Date(Date.UTC(2026, 11, 6, 0, 0, 0, index)).toISOString(), level: 'info', message: `line ${index} ${'x'.repeat(400)}`})});

describe('frames held behind a history read', () => {
	it('hold the reader once past HOLD_CHARS, and let it go when history is read', async () => {
		const {endpoint, answer} = heldHistory();
		const pushed: string[] = [];
		const resume = new WsResume(endpoint, 'since', {
			push(_generation, message) {
				pushed.push(message.data);
			},
			generation: () => 1,
			headers: () => ({}),
			decode: () => undefined,
			notice() {},
		});
		resume.opened(1);
		let index = 0;
		let chars = 0;
		while (chars <= HOLD_CHARS) {
			expect(resume.wait, `held after ${chars} characters`).toBeUndefined();
			const frame = frameOf(index++);
			chars += frame.data.length;
			resume.frame(1, frame);
		}

		// Past the bound: the reader is told to wait, and the watchdog that the silence is ours.
		const wait = resume.wait;
		expect(wait).toBeInstanceOf(Promise);
		expect(resume.holding).toBe(true);
		expect(pushed).toEqual([]);
		answer();
		await wait;
		expect(resume.holding).toBe(false);
		expect(resume.wait).toBeUndefined();
		expect(pushed).toEqual(Array.from({length: index}, (_, i) => frameOf(i).data));
	});

	it('let the reader go when the connection ends', () => {
		const {endpoint} = heldHistory();
		const resume = new WsResume(endpoint, 'since', {push() {}, generation: () => 1, headers: () => ({}), decode: () => undefined, notice() {}});
		resume.opened(1);
		resume.frame(1, {data: 'x'.repeat(HOLD_CHARS + 1)});
		expect(resume.holding).toBe(true);
		resume.closed();
		expect(resume.holding).toBe(false);
		expect(resume.wait).toBeUndefined();
	});
});

describe('a fast WebSocket server while history is read', () => {
	const closers: Array<() => Promise<void>> = [];
	afterEach(async () => {
		await Promise.all(closers.splice(0).map(async (close) => close()));
	});

	it('meets a slow reader, and every line comes once and in order when history is read', async () => {
		const total = 3 * Math.ceil(HOLD_CHARS / frameOf(0).data.length);
		let answerHistory!: () => void;
		let asked!: () => void;
		const historyAsked = new Promise<void>((resolve) => {
			asked = resolve;
		});
		const server = await wsServer(closers, (ws) => {
			for (let index = 0; index < total; index++) {
				ws.send(frameOf(index).data);
			}
		}, {
			onRequest(request, response) {
				if (!request.url?.startsWith('/logs')) {
					response.writeHead(404).end();
					return;
				}

				answerHistory = () => response.writeHead(200, {'content-type': 'application/json'}).end('{"logs": []}');
				asked();
			},
		});
		const stream = collect({source: server.url});
		stream.stream.start();
		// The history read starts when the connection opens, after the server queued every frame.
		await historyAsked;
		answerHistory();
		await stream.until(() => stream.records.length >= total, 30_000, `${total} lines`);
		expect(stream.records.map((record) => record.message)).toEqual(Array.from({length: total}, (_, index) => JSON.parse(frameOf(index).data).message));
		expect(stream.notices.filter((notice) => notice.kind === 'lines-missing')).toEqual([]);
		stream.stream.close();
	}, 60_000);
});
