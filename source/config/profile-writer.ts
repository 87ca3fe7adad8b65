import fs from 'node:fs';
import path from 'node:path';
import Conf from 'conf';
import {UsageError} from '../commands/usage-error.js';
import type {Profile} from './profile-file.js';

/*
 * The one place profiles are written, with conf (atomic writes), loaded only by the commands that save
 * (`config set/unset/delete`, `login`). The file holds tokens, so it is written with mode 0600 in a 0700
 * directory (conf alone writes 0666 minus umask, and its encryption is not security).
 */

type Schema = {profiles: Record<string, Profile>};

export function writeProfiles(directory: string | undefined, expectedPath: string, profiles: Record<string, Profile>): void {
	let conf: Conf<Schema>;
	try {
		if (directory) {
			fs.mkdirSync(directory, {recursive: true, mode: 0o700});
		}

		conf = new Conf<Schema>({projectName: 'dbtail', projectSuffix: '', cwd: directory, configFileMode: 0o600});
	} catch (error) {
		throw new UsageError(`cannot read the config file: ${(error as Error).message}`);
	}

	// Reads go around conf (profile-file.ts): a file they would not find must never be written.
	if (conf.path !== expectedPath) {
		throw new Error(`conf writes ${conf.path} but profiles are read from ${expectedPath}`);
	}

	fs.mkdirSync(path.dirname(conf.path), {recursive: true, mode: 0o700});
	conf.set('profiles', profiles);
	// An existing file keeps its old mode on some write paths: make sure, every time.
	fs.chmodSync(conf.path, 0o600);
}
