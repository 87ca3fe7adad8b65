/*
 * The streams bench:follow replays from memory besides dbtail's own: the databasin shape of the seed
 * documents (docs 000 and 001), `data: {"type":"log","data":{"id","timestamp","level","message","metadata":{...}}}`
 * with no `id:` lines, one message in 50 with a newline inside and one in 97 with non-ASCII text.
 */
import http from 'node:http';

const LEVELS = ['INFO', 'INFO', 'INFO', 'DEBUG', 'WARN', 'ERROR'];
const STEPS = ['extract', 'transform', 'load', 'validate'];

/** The message of line `n`: plain, multi-line (one in 50) or non-ASCII (one in 97). */
function message(n: number): string {
	if (n % 50 === 49) {
		return `step ${STEPS[n % STEPS.length]} failed on row ${n}: ValueError: bad value\n    at parse (etl/rows.py:${n % 400})\n    at run (etl/main.py:12)`;
	}

	if (n % 97 === 96) {
		return `Überprüfung von ${n} Zeilen abgeschlossen — données reçues ✓ 東京 ${n % 1000} ms`;
	}

	return `pipeline p-${n % 7} step ${STEPS[n % STEPS.length]}: wrote ${(n * 7919) % 100_000} rows to warehouse.table_${n % 13} in ${n % 997} ms`;
}

/** The lines dbtail follow prints for `lines` events: the multi-line messages print three each. */
export function databasinLines(lines: number): number {
	return lines + 2 * Math.floor(lines / 50);
}

/** `lines` log events in the databasin shape between a `connected` and a `completed` status, as SSE bytes. */
export function databasinStream(lines: number): Buffer {
	const start = Date.UTC(2026, 0, 15, 8, 0, 0);
	const parts = ['data: {"type":"status","status":"connected","runId":"r-1"}\n\n'];
	for (let n = 0; n < lines; n++) {
		const data = {
			id: String(n + 1),
			timestamp: new Date(start + n * 3).toISOString(),
			level: LEVELS[n % LEVELS.length],
			message: message(n),
			metadata: {pipelineId: `p-${n % 7}`, step: STEPS[n % STEPS.length], rows: (n * 7919) % 100_000, attempt: 1},
		};
		parts.push(`data: ${JSON.stringify({type: 'log', data})}\n\n`);
	}

	parts.push(`data: {"type":"status","status":"completed","runId":"r-1","result":"succeeded","durationMs":${lines * 3}}\n\n`);
	return Buffer.from(parts.join(''));
}

/** An event stream server on loopback (`port`, or any free one) that answers every GET with `bytes`. */
export async function serveFromMemory(bytes: Buffer, port = 0): Promise<http.Server> {
	const server = http.createServer((_request, response) => {
		response.writeHead(200, {'Content-Type': 'text/event-stream'}).end(bytes);
	});
	await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
	return server;
}
