/*
 * The parse-only floor of bench:follow: GET an event stream, split it into lines, gather each event's
 * `data:` lines and JSON.parse them, and nothing else (no record, no line printed). Lines are found on the
 * bytes and each one decoded on its own, the fastest framing we know in node (a whole chunk decoded at once
 * is slower as soon as one character in it is not ASCII). What `dbtail follow` does beyond this is its own
 * cost. Plain JavaScript run by node itself, so nothing else is loaded. Prints the events it parsed.
 *
 *   node bench/follow-floor.mjs http://127.0.0.1:PORT/stream
 */
import http from 'node:http';
import process from 'node:process';

/** The line at `start` begins with `data: `. */
function isData(bytes, start) {
	return bytes[start] === 100 && bytes[start + 1] === 97 && bytes[start + 2] === 116 && bytes[start + 3] === 97 && bytes[start + 4] === 58 && bytes[start + 5] === 32;
}

let events = 0;
let data;
let rest;
http.get(process.argv[2], (response) => {
	response.on('data', (chunk) => {
		const bytes = rest === undefined ? chunk : Buffer.concat([rest, chunk]);
		let start = 0;
		let end = bytes.indexOf(10);
		while (end >= 0) {
			if (end === start) {
				if (data !== undefined) {
					JSON.parse(data);
					events++;
					data = undefined;
				}
			} else if (isData(bytes, start)) {
				const value = bytes.toString('utf8', start + 6, end);
				data = data === undefined ? value : `${data}\n${value}`;
			}

			start = end + 1;
			end = bytes.indexOf(10, start);
		}

		rest = start < bytes.length ? bytes.subarray(start) : undefined;
	});
	response.on('end', () => {
		process.stdout.write(`${events} events\n`);
	});
});
