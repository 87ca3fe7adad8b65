import process from 'node:process';
import {UsageError} from '../commands/usage-error.js';
import {checkProfileName, DEFAULT_PROFILE} from './profile-name.js';
import type {Profile} from './profile-store.js';

export type ConnectionFlags = {server?: string; token?: string; tokenCommand?: string; profile?: string};
export type Connection = {server?: string; token?: string; tokenCommand?: string};

/*
 * Where to connect and with what: each of server, token and token command comes from its flag, else the
 * environment (DBTAIL_SERVER, DBTAIL_TOKEN, DBTAIL_TOKEN_COMMAND), else the profile (`--profile`, else
 * DBTAIL_PROFILE, else "default"). Naming a profile that does not exist is a mistake worth saying.
 * The profile store (conf) is loaded only when a profile is read: it is the largest part of startup.
 */

export function profileWanted(flags: ConnectionFlags, env: NodeJS.ProcessEnv): {name: string; named: boolean; needed: boolean} {
	const named = flags.profile ?? (env.DBTAIL_PROFILE || undefined);
	const needed = !(flags.server ?? env.DBTAIL_SERVER) || !(flags.token ?? env.DBTAIL_TOKEN) || named !== undefined;
	return {name: checkProfileName(named ?? DEFAULT_PROFILE), named: named !== undefined, needed};
}

export function mergeConnection(flags: ConnectionFlags, env: NodeJS.ProcessEnv, wanted: {name: string; named: boolean}, profile?: Profile): Connection {
	if (wanted.named && !profile) {
		throw new UsageError(`no profile "${wanted.name}": create it with "dbtail config set server URL --profile ${wanted.name}"`);
	}

	return {
		server: flags.server || env.DBTAIL_SERVER || profile?.server,
		token: flags.token || env.DBTAIL_TOKEN || profile?.token,
		tokenCommand: flags.tokenCommand || env.DBTAIL_TOKEN_COMMAND || profile?.tokenCommand,
	};
}

/** Loads the profile store only when a profile is needed (what `dbtail follow` uses, to start fast). */
export async function resolveConnectionLazily(flags: ConnectionFlags, env: NodeJS.ProcessEnv = process.env): Promise<Connection> {
	const wanted = profileWanted(flags, env);
	if (!wanted.needed) {
		return mergeConnection(flags, env, wanted);
	}

	const {ProfileStore} = await import('./profile-store.js');
	return mergeConnection(flags, env, wanted, new ProfileStore().get(wanted.name));
}
