/*
 * The leanest SSE framing the follow benches know (follow-floor.mjs, follow-parallel.mjs): lines found on the
 * bytes, each `data:` value decoded on its own (a whole chunk decoded at once is slower as soon as one
 * character in it is not ASCII). Only `data:` lines and the empty line that ends an event are read.
 */

/** The line at `start` begins with `data: `. */
function isData(bytes, start) {
	return bytes[start] === 100 && bytes[start + 1] === 97 && bytes[start + 2] === 116 && bytes[start + 3] === 97 && bytes[start + 4] === 58 && bytes[start + 5] === 32;
}

/**
 * Reads the whole lines of `bytes`: each `data:` value joins `data` (the event read so far, or undefined), and
 * an empty line hands the event's data to `onEvent`. Returns the event still open and where the unfinished
 * last line starts.
 */
export function scanEvents(bytes, data, onEvent) {
	let start = 0;
	let end = bytes.indexOf(10);
	while (end >= 0) {
		if (end === start) {
			if (data !== undefined) {
				onEvent(data);
				data = undefined;
			}
		} else if (isData(bytes, start)) {
			const value = bytes.toString('utf8', start + 6, end);
			data = data === undefined ? value : `${data}\n${value}`;
		}

		start = end + 1;
		end = bytes.indexOf(10, start);
	}

	return {data, start};
}
