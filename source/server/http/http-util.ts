import type {IncomingMessage, ServerResponse} from 'node:http';
import type {ErrorBody} from '../../protocol/events.js';
import {ApiError, badRequest} from '../api-error.js';

/**
 * The client went away before its body was whole: it closed the connection, or sent nothing for so long
 * that the server's body deadline (startServer's bodyTimeoutMs) answered 408 and closed it. Nobody is left
 * to answer; it is worth one log line, not a stack.
 */
export class ClientGone extends Error {
	constructor(readonly received: number) {
		super(`the client went away after sending ${received} bytes of its body`);
		this.name = 'ClientGone';
	}
}

export async function readBody(req: IncomingMessage, maxBytes: number): Promise<string> {
	const declared = Number(req.headers['content-length'] ?? 0);
	if (declared > maxBytes) {
		throw new ApiError(413, 'bad-request', `the body is ${declared} bytes; the limit is ${maxBytes}: send smaller batches`);
	}

	const chunks: Buffer[] = [];
	let size = 0;
	try {
		for await (const chunk of req) {
			size += (chunk as Buffer).length;
			if (size > maxBytes) {
				throw new ApiError(413, 'bad-request', `the body is over the limit of ${maxBytes} bytes: send smaller batches`);
			}

			chunks.push(chunk as Buffer);
		}
	} catch (error) {
		// Node's 'aborted' (ECONNRESET): the socket closed mid-body, by the client or by the request timeout.
		if (error instanceof ApiError || !req.destroyed) {throw error;}
		throw new ClientGone(size);
	}

	return Buffer.concat(chunks).toString('utf8');
}

export function parseJsonObject(text: string): Record<string, unknown> {
	let value: unknown;
	try {
		value = text.trim() === '' ? {} : JSON.parse(text);
	} catch (error) {
		throw badRequest(`the body is not valid JSON (${(error as Error).message})`);
	}

	if (typeof value !== 'object' || value === null || Array.isArray(value)) {
		throw badRequest('the body must be a JSON object');
	}

	return value as Record<string, unknown>;
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
	const text = JSON.stringify(body);
	res.writeHead(status, {
		'content-type': 'application/json; charset=utf-8',
		'content-length': Buffer.byteLength(text),
		'cache-control': 'no-store',
		...headers,
	});
	res.end(text);
}

export function sendError(res: ServerResponse, error: ApiError): void {
	const body: ErrorBody = {error: {code: error.code, message: error.message}};
	if (res.headersSent) {
		res.destroy();
		return;
	}

	sendJson(res, error.status, body, error.headers);
}

/**
 * Resolves when the socket will take more (`drain`) or is gone (`close`, `error`), and leaves no listener
 * behind: `Promise.race` of two `events.once` kept the loser's listeners, one more pair per piece written,
 * for the life of the response.
 */
export async function drainedOrGone(res: ServerResponse): Promise<void> {
	await new Promise<void>((resolve) => {
		const done = () => {
			res.off('drain', done);
			res.off('close', done);
			res.off('error', done);
			resolve();
		};

		res.on('drain', done);
		res.on('close', done);
		res.on('error', done);
	});
}
