import {apiUrl} from '../protocol/streams.js';
import type {HttpError} from './sse-connection.js';
import type {StreamTarget} from './stream-target.js';

/**
 * Whether a 404 means "not there yet": an automation before its first run, a task or artifact that has not
 * logged. "Watch tonight's job before it starts" is a core use, so such a stream waits for the source
 * (asking again every few seconds) instead of ending. Only where the 404 can mean that:
 * - a stream name for an entity, task or artifact, not pinned to a run (a run id that does not exist will
 *   not start to: run ids are the server's) and not `all` (which always exists);
 * - a 404 with dbtail's `not-found` code, from a server that answers `GET /healthz` as dbtail does at
 *   that base. A wrong base path, a proxy's page or another server's 404 stays final. The check is made
 *   once per stream, with no token (healthz needs none).
 */
export class SourceWait {
	readonly #server: string | undefined;
	#confirmed = false;

	constructor(target: StreamTarget, enabled: boolean) {
		const {ref} = target;
		this.#server = enabled && target.server !== undefined && ref !== undefined && ref.kind !== 'all' && ref.run === undefined ? target.server : undefined;
	}

	async waits(error: HttpError): Promise<boolean> {
		if (this.#server === undefined || error.status !== 404 || error.code !== 'not-found') {
			return false;
		}

		this.#confirmed ||= await answersAsDbtail(this.#server);
		return this.#confirmed;
	}
}

async function answersAsDbtail(server: string): Promise<boolean> {
	try {
		const response = await fetch(apiUrl(server, '/healthz'), {headers: {accept: 'application/json'}, signal: AbortSignal.timeout(5000)});
		const body = (await response.json().catch(() => undefined)) as {ok?: unknown} | undefined;
		return response.status === 200 && body?.ok === true;
	} catch {
		return false;
	}
}
