import process from 'node:process';
import {mergeConnection, profileWanted, type Connection, type ConnectionFlags} from './connection-rules.js';
import {ProfileStore} from './profile-store.js';

export type {Connection, ConnectionFlags} from './connection-rules.js';
export {credentialsFor, resolveConnectionLazily} from './connection-rules.js';

/**
 * Where to connect and with what: flag > environment (DBTAIL_SERVER, DBTAIL_TOKEN, DBTAIL_TOKEN_COMMAND) >
 * profile (`--profile`, else DBTAIL_PROFILE, else "default"), field by field. Synchronous; it loads the
 * profile store with this module (`resolveConnectionLazily` does not).
 */
export function resolveConnection(flags: ConnectionFlags, env: NodeJS.ProcessEnv = process.env, store?: ProfileStore): Connection {
	const wanted = profileWanted(flags, env);
	const profile = wanted.needed ? (store ?? new ProfileStore()).get(wanted.name) : undefined;
	return mergeConnection(flags, env, wanted, profile);
}
