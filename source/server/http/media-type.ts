import type {IncomingMessage} from 'node:http';
import {ApiError} from '../api-error.js';

/*
 * The Content-Type of a POST body, read as RFC 9110 (8.3.1) writes it: `type/subtype`, then parameters
 * (`; name=value`, the value a token or a quoted string), names and type in any case. Only JSON and NDJSON
 * are taken. That is a security rule as much as a format rule: text/plain, form-urlencoded and multipart are
 * the three types a web page may POST to any address without a CORS preflight, so a server that took them
 * (or sniffed a body with no type) would store what any page the user visits sends it.
 */

export type BodyType = 'application/json' | 'application/x-ndjson';
export type MediaType = {essence: string; params: Record<string, string>};

const TOKEN = "[!#$%&'*+.^_`|~0-9A-Za-z-]+";
const HEAD = new RegExp(`^[ \\t]*(${TOKEN})/(${TOKEN})[ \\t]*`);
// One `; [name=value]` step; RFC 9110 allows empty parameters (`;;`) and whitespace around the semicolon.
const PARAM = new RegExp(`^;[ \\t]*(?:(${TOKEN})=(?:(${TOKEN})|"((?:[^"\\\\]|\\\\.)*)"))?[ \\t]*`);

export function parseMediaType(text: string): MediaType | undefined {
	const head = HEAD.exec(text);
	if (!head) {return undefined;}
	const params: Record<string, string> = {};
	let rest = text.slice(head[0].length);
	while (rest !== '') {
		const param = PARAM.exec(rest);
		if (!param) {return undefined;}
		if (param[1] !== undefined) {
			const name = param[1].toLowerCase();
			// The first of a repeated parameter counts; a later one cannot change what was checked.
			params[name] ??= param[2] ?? param[3]!.replaceAll(/\\(.)/g, '$1');
		}

		rest = rest.slice(param[0].length);
	}

	return {essence: `${head[1]}/${head[2]}`.toLowerCase(), params};
}

const unsupported = (message: string) => new ApiError(415, 'bad-request', message);

/** The body's type, one of `accepted`, or a 415 that names what to send. */
export function requireBodyType(req: IncomingMessage, accepted: readonly BodyType[]): BodyType {
	const header = req.headers['content-type'];
	const send = accepted.join(' or ');
	if (header === undefined || header.trim() === '') {
		throw unsupported(`a ${req.method ?? 'POST'} body needs Content-Type: ${send} (web pages can send other types without asking)`);
	}

	const media = parseMediaType(header);
	if (!media) {
		throw unsupported(`Content-Type ${JSON.stringify(header)} is not a media type: send ${send}`);
	}

	const type = accepted.find((candidate) => candidate === media.essence);
	if (!type) {
		const why = ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data'].includes(media.essence)
			? ` (web pages can send ${media.essence} without asking)`
			: '';
		throw unsupported(`Content-Type ${media.essence} is refused: send ${send}${why}`);
	}

	const charset = media.params.charset;
	if (charset !== undefined && !/^utf-?8$/i.test(charset)) {
		throw unsupported(`charset ${charset} is refused: bodies are UTF-8 (send charset=utf-8 or none)`);
	}

	return type;
}
