import type {IncomingMessage, ServerResponse} from 'node:http';
import type {ServerContext} from '../context.js';
import {sendJson} from '../http/http-util.js';

/**
 * `POST /api/tokens` (no body): `Authorization: Bearer <long-lived read token>` → `{token, expiresAt}`, a
 * short-lived read-only token a page's EventSource may put in `token=` of a stream URL.
 */
export function issueStreamToken(ctx: ServerContext, req: IncomingMessage, res: ServerResponse, url: URL): void {
	sendJson(res, 200, ctx.auth.mintStreamToken(req, url));
}
