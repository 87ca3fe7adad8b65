import {UsageError} from '../errors.js';

/* Profile names, apart from the store, so choosing a profile does not load the config library. */

export const DEFAULT_PROFILE = 'default';
const PROFILE_NAME = /^[\w.-]{1,64}$/;

export function checkProfileName(name: string): string {
	if (!PROFILE_NAME.test(name)) {
		throw new UsageError(`bad profile name "${name}": 1 to 64 letters, digits, ".", "_" or "-"`);
	}

	return name;
}
