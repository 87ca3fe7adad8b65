import {UsageError} from '../errors.js';
import {OpenServerRefused} from '../server/errors.js';
import {StoreError} from '../server/store/errors.js';

/**
 * Why `dbtail serve` or `dbtail demo` could not start, as the user's to fix (a port in use, a store
 * that cannot be opened, no token off loopback): a UsageError, said without a stack. Anything else is
 * returned as it is: a fault of ours, worth its stack.
 */
export function startError(error: unknown, where: {port: number; host: string; portAdvice: string}): unknown {
	if (error instanceof OpenServerRefused || error instanceof StoreError) {
		return new UsageError(error.message);
	}

	switch ((error as NodeJS.ErrnoException | undefined)?.code) {
		case 'EADDRINUSE': {
			return new UsageError(`port ${where.port} is in use: ${where.portAdvice}`);
		}

		case 'EACCES': {
			return new UsageError(`port ${where.port} needs privileges: use a port above 1023`);
		}

		case 'EADDRNOTAVAIL': {
			return new UsageError(`cannot bind ${where.host}: no such address on this machine`);
		}

		default: {
			return error;
		}
	}
}
