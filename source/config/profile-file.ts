import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import process from 'node:process';
import {UsageError} from '../commands/usage-error.js';

/*
 * Reading the saved profiles without the config library: `dbtail follow` reads them on every start, and
 * conf (with ajv) was the largest part of that start. conf stays the only writer (profile-writer.ts), so
 * this must find the very file conf writes: conf's `cwd` when DBTAIL_CONFIG_DIR is set, else env-paths'
 * config directory for the project "dbtail" with no suffix, and the name config.json. The writer checks
 * that both agree before it writes.
 */

export type Profile = {server?: string; token?: string; tokenCommand?: string};
export const PROFILE_KEYS = ['server', 'token', 'tokenCommand'] as const;
export type ProfileKey = (typeof PROFILE_KEYS)[number];

/** The per-platform config directory env-paths gives conf (the same rules, the same environment). */
function platformConfigDirectory(env: NodeJS.ProcessEnv = process.env): string {
	const home = os.homedir();
	if (process.platform === 'darwin') {
		return path.join(home, 'Library', 'Preferences', 'dbtail');
	}

	if (process.platform === 'win32') {
		return path.join(env.APPDATA || path.join(home, 'AppData', 'Roaming'), 'dbtail', 'Config');
	}

	return path.join(env.XDG_CONFIG_HOME || path.join(home, '.config'), 'dbtail');
}

export function profileFilePath(directory: string | undefined): string {
	return path.resolve(directory ?? platformConfigDirectory(), 'config.json');
}

/** Only the string fields a profile has: whatever else a hand-edited file holds is not sent anywhere. */
function profileOf(value: unknown): Profile {
	const profile: Profile = {};
	for (const key of PROFILE_KEYS) {
		const field = (value as Record<string, unknown> | null)?.[key];
		if (typeof field === 'string') {
			profile[key] = field;
		}
	}

	return profile;
}

/** Every saved profile; none when the file does not exist yet. */
export function readProfiles(file: string): Record<string, Profile> {
	let saved: unknown;
	try {
		saved = (JSON.parse(fs.readFileSync(file, 'utf8')) as {profiles?: unknown}).profiles;
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
			return {};
		}

		throw new UsageError(`cannot read the config file ${file}: ${(error as Error).message}`);
	}

	// No prototype: a profile named "__proto__" is a name like any other.
	const profiles = Object.create(null) as Record<string, Profile>;
	if (typeof saved === 'object' && saved !== null && !Array.isArray(saved)) {
		for (const [name, value] of Object.entries(saved)) {
			profiles[name] = profileOf(value);
		}
	}

	return profiles;
}
