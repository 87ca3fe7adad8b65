import fs from 'node:fs';
import path from 'node:path';
import envPaths from 'env-paths';
import {UsageError} from '../errors.js';

/*
 * Reading the saved profiles without the config library: `dbtail follow` reads them on every start, and
 * conf (with ajv) was the largest part of that start. conf stays the only writer (profile-writer.ts); it
 * is given this file's directory, so both name the same file by construction. env-paths is the rule conf
 * itself uses for the platform's directory, and costs nothing to load.
 */

/**
 * `timestamps`: the time column's mode when --timestamps is not given (many people want absolute);
 * `notify`: the viewer's --notify when not given (both, bell, desktop, off);
 * `quietMark`: the viewer's --quiet-mark when not given (seconds, 0 off).
 */
export type Profile = {server?: string; token?: string; tokenCommand?: string; timestamps?: string; notify?: string; quietMark?: string};
export const PROFILE_KEYS = ['server', 'token', 'tokenCommand', 'timestamps', 'notify', 'quietMark'] as const;
export type ProfileKey = (typeof PROFILE_KEYS)[number];

/** Where the profiles live: DBTAIL_CONFIG_DIR (`directory`), else the platform's config directory as env-paths gives it. */
export function profileFilePath(directory: string | undefined): string {
	return path.resolve(directory ?? envPaths('dbtail', {suffix: ''}).config, 'config.json');
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
