/**
 * A mistake the user can fix (bad flag, bad source, unreachable server...). The CLI prints its message
 * as `dbtail: <message>` and exits with `exitCode`, never with a stack trace.
 */
export class UsageError extends Error {
	constructor(
		message: string,
		readonly exitCode = 2,
	) {
		super(message);
		this.name = 'UsageError';
	}
}
