/*
 * The parse-only floor of bench:follow: GET an event stream, split it into lines, gather each event's
 * `data:` lines and JSON.parse them, and nothing else (no record, no line printed), with the fastest framing
 * we know in node (sse-events.mjs). What `dbtail follow` does beyond this is its own cost. Plain JavaScript
 * run by node itself, so nothing else is loaded. Prints the events it parsed.
 *
 *   node bench/follow-floor.mjs http://127.0.0.1:PORT/stream
 */
import http from 'node:http';
import process from 'node:process';
import {scanEvents} from './sse-events.mjs';

let events = 0;
const parse = (data) => {
	JSON.parse(data);
	events++;
};

let data;
let rest;
http.get(process.argv[2], (response) => {
	response.on('data', (chunk) => {
		const bytes = rest === undefined ? chunk : Buffer.concat([rest, chunk]);
		const scanned = scanEvents(bytes, data, parse);
		data = scanned.data;
		rest = scanned.start < bytes.length ? bytes.subarray(scanned.start) : undefined;
	});
	response.on('end', () => {
		process.stdout.write(`${events} events\n`);
	});
});
