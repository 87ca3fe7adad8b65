/** A queue the pump serves: it writes what it gathered when its turn comes. */
export type Pumped = {pumpScheduled(): void};

/**
 * How long one turn of the pump may hold the event loop. The queues it did not reach go first next turn,
 * after the loop has read what came in (a producer's batch, new clients), and send what they gathered
 * meanwhile in one write: under load a client gets fewer, larger writes (a write to a socket costs the
 * kernel some 5 µs whatever its size), and every client still waits at most one round.
 */
const SLICE_MS = 8;

/**
 * Queues with something to write, pumped in the order they asked, by one setImmediate for all of them: a feed
 * batch fanned out to 10,000 clients is one callback that writes to each socket once, not 10,000 callbacks.
 */
let due: Pumped[] = [];
let planned = false;

export function schedule(queue: Pumped): void {
	due.push(queue);
	if (!planned) {
		planned = true;
		setImmediate(pumpDue);
	}
}

function pumpDue(): void {
	planned = false;
	const queues = due;
	due = [];
	const started = performance.now();
	let index = 0;
	while (index < queues.length) {
		queues[index++]!.pumpScheduled();
		if ((index & 63) === 0 && performance.now() - started >= SLICE_MS) {
			break;
		}
	}

	if (index < queues.length) {
		due = due.length === 0 ? queues.slice(index) : [...queues.slice(index), ...due];
		planned = true;
		setImmediate(pumpDue);
	}
}
