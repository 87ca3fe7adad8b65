import net from 'node:net';
import {describe, expect, it} from 'vitest';
import {createRun} from '../helpers/ingest.js';
import {until} from '../helpers/until.js';
import {useServerFixture} from './server-fixture.js';

/*
 * Uploads that stall or break: a stalled one is answered 408 and its connection closed at the body
 * deadline (before, Node held what it had sent for 300 s: 100 stalled 16 MB uploads, 1.6 GB), and one the
 * client breaks off is one log line, not a 4-line stack. HTTP only: no store is involved.
 */

/** A raw POST of `sent` bytes of a body declared `declared` long; resolves with what came back once the server closed. */
async function stalledUpload(url: string, path: string, declared: number, sent: number): Promise<{answer: string; closed: Promise<void>; socket: net.Socket}> {
	const {hostname, port} = new URL(url);
	const socket = net.connect(Number(port), hostname);
	let answer = '';
	socket.on('data', (data) => {
		answer += String(data);
	});
	socket.on('error', () => {});
	const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
	await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
	socket.write(`POST ${path} HTTP/1.1\r\nHost: ${hostname}\r\nContent-Type: application/x-ndjson\r\nContent-Length: ${declared}\r\n\r\n${'{"level":"INFO","message":"x"}\n'.repeat(sent / 31)}`);
	return {
		get answer() {
			return answer;
		},
		closed,
		socket,
	};
}

describe('uploads that stall or break', () => {
	const fixture = useServerFixture();

	it('a stalled upload is answered 408 and cut at the body deadline, said in one log line; others are served meanwhile', async () => {
		const lines: string[] = [];
		const server = await fixture().start({bodyTimeoutMs: 500, log: (line) => lines.push(line)});
		const runId = await createRun(server.url, undefined, {automationId: 'etl'});
		const started = performance.now();
		const uploads = await Promise.all(Array.from({length: 5}, async () => stalledUpload(server.url, `/api/runs/${runId}/logs`, 1024 * 1024, 31 * 1000)));
		expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
		await Promise.all(uploads.map(async (upload) => upload.closed));
		expect(performance.now() - started).toBeLessThan(10_000);
		for (const upload of uploads) {expect(upload.answer).toMatch(/^HTTP\/1\.1 408 Request Timeout/);}
		await until(() => lines.length === 5, 'a log line per stalled upload');
		for (const line of lines) {expect(line).toBe(`POST /api/runs/${runId}/logs: the client went away after sending 31000 bytes of its body`);}
	});

	it('an upload the client breaks off is one log line, with no stack', async () => {
		const lines: string[] = [];
		const server = await fixture().start({log: (line) => lines.push(line)});
		const runId = await createRun(server.url, undefined, {automationId: 'etl'});
		const upload = await stalledUpload(server.url, `/api/runs/${runId}/logs`, 1024 * 1024, 31 * 100);
		// A FIN after the data: the server reads all that was sent, then finds the body cut short.
		upload.socket.end();
		await until(() => lines.length > 0, 'the log line of the broken upload');
		expect(lines).toEqual([`POST /api/runs/${runId}/logs: the client went away after sending 3100 bytes of its body`]);
	});
});
