// Kept apart from index.ts so that a command can tell this refusal without loading the server.

/** A server without tokens off loopback: anyone who can reach it could read and write its logs. */
export class OpenServerRefused extends Error {
	constructor(readonly host: string) {
		super(`refusing to listen on ${host} with no token: anyone could read and write logs. Give a token (--token, --tokens-file), or use a loopback host`);
	}
}
