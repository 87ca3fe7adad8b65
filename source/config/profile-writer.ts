import fs from 'node:fs';
import path from 'node:path';
import Conf from 'conf';
import {UsageError} from '../errors.js';
import type {Profile} from './profile-file.js';

/*
 * The one place profiles are written, with conf (atomic writes), loaded only by the commands that save
 * (`config set/unset/delete`, `login`). The file holds tokens, so it is written with mode 0600 in a 0700
 * directory (conf alone writes 0666 minus umask, and its encryption is not security).
 */

type Schema = {profiles: Record<string, Profile>};

/** Saves every profile to `file` (profile-file.ts's profileFilePath), the one file the readers read. */
export function writeProfiles(file: string, profiles: Record<string, Profile>): void {
	const directory = path.dirname(file);
	let conf: Conf<Schema>;
	try {
		fs.mkdirSync(directory, {recursive: true, mode: 0o700});
		conf = new Conf<Schema>({
			projectName: 'dbtail',
			cwd: directory,
			configName: path.basename(file, '.json'),
			configFileMode: 0o600,
		});
	} catch (error) {
		throw new UsageError(`cannot read the config file: ${(error as Error).message}`);
	}

	conf.set('profiles', profiles);
	// An existing file keeps its old mode on some write paths: make sure, every time.
	fs.chmodSync(conf.path, 0o600);
}
