import process from 'node:process';
import {UsageError} from '../commands/usage-error.js';
import {checkProfileName, DEFAULT_PROFILE, ProfileStore} from './profile-store.js';

export type ConnectionFlags = {server?: string; token?: string; tokenCommand?: string; profile?: string};
export type Connection = {server?: string; token?: string; tokenCommand?: string};

/**
 * Where to connect and with what: each of server, token and token command comes from its flag, else the
 * environment (DBTAIL_SERVER, DBTAIL_TOKEN, DBTAIL_TOKEN_COMMAND), else the profile (`--profile`, else
 * DBTAIL_PROFILE, else "default"). Naming a profile that does not exist is a mistake worth saying.
 */
export function resolveConnection(
	flags: ConnectionFlags,
	env: NodeJS.ProcessEnv = process.env,
	store?: ProfileStore,
): Connection {
	const named = flags.profile ?? (env.DBTAIL_PROFILE || undefined);
	const name = checkProfileName(named ?? DEFAULT_PROFILE);
	const needsProfile = !(flags.server ?? env.DBTAIL_SERVER) || !(flags.token ?? env.DBTAIL_TOKEN) || named !== undefined;
	const profile = needsProfile ? (store ?? new ProfileStore()).get(name) : undefined;
	if (named !== undefined && !profile) {
		throw new UsageError(`no profile "${name}": create it with "dbtail config set server URL --profile ${name}"`);
	}

	return {
		server: flags.server || env.DBTAIL_SERVER || profile?.server,
		token: flags.token || env.DBTAIL_TOKEN || profile?.token,
		tokenCommand: flags.tokenCommand || env.DBTAIL_TOKEN_COMMAND || profile?.tokenCommand,
	};
}
