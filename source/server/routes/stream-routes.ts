import type {IncomingMessage, ServerResponse} from 'node:http';
import type {StreamKind} from '../../protocol/streams.js';
import type {ServerContext} from '../context.js';
import {parseStreamParams} from '../params.js';
import {SseSession} from '../sse/sse-session.js';
import {resolveServedStream} from '../served-stream.js';

/** Opens an SSE stream: parameters and entity are checked (400/404) and a slot taken (429) before any byte is sent. */
export async function openStream(
	ctx: ServerContext,
	req: IncomingMessage,
	res: ServerResponse,
	url: URL,
	kind: StreamKind,
	id: string | undefined,
	tokenKey: string | undefined,
): Promise<void> {
	const header = req.headers['last-event-id'];
	const params = parseStreamParams(url.searchParams, Array.isArray(header) ? header[0] : header, ctx.heartbeatMs);
	if (params.resumeAfter !== undefined && params.resumeAfter > (await ctx.store.top())) {
		// An id this store never gave comes from another id space (the store was replaced: see the epoch).
		// Filtering live records against it would show nothing for a long time, so it counts as no resume point.
		params.resumeAfter = undefined;
	}

	const target = await resolveServedStream(ctx.store, kind, id, params.run);
	// A client that left during those reads (on PostgreSQL they wait on the database) has closed its response
	// already: a session made now would never hear 'close', and would hold its slot and the feed for good.
	// From here on the session's own 'close' listener frees it, whenever the client leaves.
	if (res.destroyed || req.socket.destroyed) {return;}
	const release = ctx.limiter.acquire(tokenKey);
	const session = new SseSession(ctx, target, params, req, res, () => {
		ctx.sessions.delete(session);
		ctx.metrics.connections.dec();
		release();
	});
	ctx.sessions.add(session);
	ctx.metrics.connections.inc();
	ctx.metrics.connectionsTotal.inc();
	await session.start();
}
