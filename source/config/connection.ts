import process from 'node:process';
import {UsageError} from '../errors.js';
import {isUrlSource, withDefaultScheme} from '../protocol/source.js';
import {checkProfileName, DEFAULT_PROFILE} from './profile-name.js';
import type {Profile} from './profile-file.js';
import {ProfileStore} from './profile-store.js';

export type ConnectionFlags = {server?: string; token?: string; tokenCommand?: string; profile?: string};
export type Connection = {
	server?: string;
	token?: string;
	tokenCommand?: string;
	/** The origin the token was saved or exported for; undefined when it was given as a flag (sent wherever the user points it). */
	tokenOrigin?: string;
};

/*
 * Where to connect and with what: each of server, token and token command comes from its flag, else the
 * environment (DBTAIL_SERVER, DBTAIL_TOKEN, DBTAIL_TOKEN_COMMAND), else the profile (`--profile`, else
 * DBTAIL_PROFILE, else "default"). Naming a profile that does not exist is a mistake worth saying.
 */

/** Resolves a connection; the profile file is read only when a field is still missing or a profile is named. */
export function resolveConnection(flags: ConnectionFlags, env: NodeJS.ProcessEnv = process.env, store?: ProfileStore): Connection {
	const wanted = profileWanted(flags, env);
	const profile = wanted.needed ? (store ?? new ProfileStore()).get(wanted.name) : undefined;
	return mergeConnection(flags, env, wanted, profile);
}

function profileWanted(flags: ConnectionFlags, env: NodeJS.ProcessEnv): {name: string; named: boolean; needed: boolean} {
	const named = flags.profile ?? (env.DBTAIL_PROFILE || undefined);
	const needed = !(flags.server ?? env.DBTAIL_SERVER) || !(flags.token ?? env.DBTAIL_TOKEN) || named !== undefined;
	return {name: checkProfileName(named ?? DEFAULT_PROFILE), named: named !== undefined, needed};
}

function mergeConnection(flags: ConnectionFlags, env: NodeJS.ProcessEnv, wanted: {name: string; named: boolean}, profile?: Profile): Connection {
	if (wanted.named && !profile) {
		throw new UsageError(`no profile "${wanted.name}": create it with "dbtail config set server URL --profile ${wanted.name}"`);
	}

	const given = flags.server || env.DBTAIL_SERVER || profile?.server;
	// `127.0.0.1:8080` is http://127.0.0.1:8080 for the catalog, the streams and the token's origin alike.
	const server = given === undefined ? undefined : withDefaultScheme(given);
	// A token goes only to the server it belongs to: one saved with a profile's server (or exported beside
	// DBTAIL_SERVER) is not sent to another --server or to a URL source. A flag is the user's own choice.
	if (flags.token || flags.tokenCommand) {
		return {server, token: flags.token, tokenCommand: flags.tokenCommand};
	}

	const sameServer = (home: string | undefined) => home === undefined || server === undefined || originOf(home) === originOf(server);
	if ((env.DBTAIL_TOKEN || env.DBTAIL_TOKEN_COMMAND) && sameServer(env.DBTAIL_SERVER)) {
		return {server, token: env.DBTAIL_TOKEN || undefined, tokenCommand: env.DBTAIL_TOKEN_COMMAND || undefined, tokenOrigin: originOf(env.DBTAIL_SERVER ?? server)};
	}

	if ((profile?.token || profile?.tokenCommand) && sameServer(profile.server)) {
		return {server, token: profile.token, tokenCommand: profile.tokenCommand, tokenOrigin: originOf(profile.server ?? server)};
	}

	return {server, token: undefined, tokenCommand: undefined};
}

function originOf(url: string | undefined): string | undefined {
	if (url === undefined) {
		return undefined;
	}

	try {
		return new URL(withDefaultScheme(url)).origin;
	} catch {
		return url;
	}
}

/** The credentials to send to one source: none to a URL on another origin than the token's own. */
export function credentialsFor(connection: Connection, source: string): Pick<Connection, 'token' | 'tokenCommand'> {
	const url = isUrlSource(source) ? source : connection.server;
	if (connection.tokenOrigin !== undefined && url !== undefined && originOf(url) !== connection.tokenOrigin) {
		return {token: undefined, tokenCommand: undefined};
	}

	return {token: connection.token, tokenCommand: connection.tokenCommand};
}
