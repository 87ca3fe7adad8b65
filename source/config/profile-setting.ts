import process from 'node:process';
import {checkProfileName, DEFAULT_PROFILE} from './profile-name.js';
import {ProfileStore} from './profile-store.js';

/** A setting of the profile in use (`--profile`, else DBTAIL_PROFILE, else "default"), if it has one. */
export function profileSetting(key: 'timestamps' | 'notify' | 'quietMark', profile: string | undefined, env: NodeJS.ProcessEnv = process.env): string | undefined {
	const name = checkProfileName(profile ?? (env.DBTAIL_PROFILE || DEFAULT_PROFILE));
	return new ProfileStore().get(name)?.[key];
}
