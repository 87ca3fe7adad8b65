import type {QueueLimits} from './frame-queue.js';
import type {CutReason} from './queue-budget.js';

/** What a cut client's `slow-consumer` error says, and how it resumes. */
export function cutMessage(reason: CutReason, limits: QueueLimits, budgetBytes: number, writeTimeoutMs: number): string {
	const resume = 'reconnect with Last-Event-ID to resume';
	switch (reason) {
		case 'queue': {
			return `this client fell more than ${limits.maxEvents} events or ${limits.maxBytes} bytes behind; ${resume}`;
		}

		case 'budget': {
			return `the server holds more than ${budgetBytes} bytes for its clients and this one was furthest behind; ${resume}`;
		}

		case 'write-timeout': {
			return `this client took nothing for ${writeTimeoutMs / 1000} s; ${resume}`;
		}
	}
}
