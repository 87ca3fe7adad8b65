import process from 'node:process';
import {checkProfileName} from './profile-name.js';
import {profileFilePath, readProfiles, type Profile, type ProfileKey} from './profile-file.js';

/*
 * Saved profiles: a server, a token and a token command per profile name, in one JSON file.
 * DBTAIL_CONFIG_DIR moves it (tests, or several setups side by side). Reading is plain JSON; the writer
 * (conf) is loaded on the first change only, so reading a profile costs no more than reading a file.
 */

export {PROFILE_KEYS, type Profile, type ProfileKey} from './profile-file.js';
export {checkProfileName, DEFAULT_PROFILE} from './profile-name.js';

export class ProfileStore {
	readonly path: string;

	constructor(directory = process.env.DBTAIL_CONFIG_DIR || undefined) {
		this.path = profileFilePath(directory);
	}

	profiles(): Record<string, Profile> {
		return readProfiles(this.path);
	}

	get(name: string): Profile | undefined {
		return this.profiles()[name];
	}

	async set(name: string, key: ProfileKey, value: string | undefined): Promise<void> {
		const profiles = this.profiles();
		const profile = {...profiles[checkProfileName(name)]};
		if (value === undefined) {
			delete profile[key];
		} else {
			profile[key] = value;
		}

		profiles[name] = profile;
		await this.#save(profiles);
	}

	async remove(name: string): Promise<boolean> {
		const profiles = this.profiles();
		if (!Object.hasOwn(profiles, name)) {
			return false;
		}

		delete profiles[name];
		await this.#save(profiles);
		return true;
	}

	async #save(profiles: Record<string, Profile>): Promise<void> {
		const {writeProfiles} = await import('./profile-writer.js');
		writeProfiles(this.path, profiles);
	}
}
