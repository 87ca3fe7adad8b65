import fs from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import Conf from 'conf';
import {UsageError} from '../commands/usage-error.js';
import {checkProfileName} from './profile-name.js';

/*
 * Saved profiles: a server, a token and a token command per profile name. The file holds tokens, so it
 * is written with mode 0600 in a 0700 directory (conf alone writes 0666 minus umask, and its encryption
 * is not security). DBTAIL_CONFIG_DIR moves it (tests, or several setups side by side).
 */

export type Profile = {server?: string; token?: string; tokenCommand?: string};
export const PROFILE_KEYS = ['server', 'token', 'tokenCommand'] as const;
export type ProfileKey = (typeof PROFILE_KEYS)[number];

type Schema = {profiles: Record<string, Profile>};

export {checkProfileName, DEFAULT_PROFILE} from './profile-name.js';

export class ProfileStore {
	readonly #conf: Conf<Schema>;

	constructor(directory = process.env.DBTAIL_CONFIG_DIR || undefined) {
		try {
			if (directory) {
				fs.mkdirSync(directory, {recursive: true, mode: 0o700});
			}

			this.#conf = new Conf<Schema>({
				projectName: 'dbtail',
				projectSuffix: '',
				cwd: directory,
				configFileMode: 0o600,
			});
		} catch (error) {
			throw new UsageError(`cannot read the config file: ${(error as Error).message}`);
		}
	}

	get path(): string {
		return this.#conf.path;
	}

	profiles(): Record<string, Profile> {
		return this.#conf.get('profiles') ?? {};
	}

	get(name: string): Profile | undefined {
		return this.profiles()[name];
	}

	set(name: string, key: ProfileKey, value: string | undefined): void {
		const profiles = this.profiles();
		const profile = {...profiles[checkProfileName(name)]};
		if (value === undefined) {
			delete profile[key];
		} else {
			profile[key] = value;
		}

		profiles[name] = profile;
		this.#save(profiles);
	}

	remove(name: string): boolean {
		const profiles = this.profiles();
		if (!(name in profiles)) {
			return false;
		}

		delete profiles[name];
		this.#save(profiles);
		return true;
	}

	#save(profiles: Record<string, Profile>): void {
		fs.mkdirSync(path.dirname(this.path), {recursive: true, mode: 0o700});
		this.#conf.set('profiles', profiles);
		// An existing file keeps its old mode on some write paths: make sure, every time.
		fs.chmodSync(this.path, 0o600);
	}
}
