import fs from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import Conf from 'conf';
import {afterEach, describe, expect, it} from 'vitest';
import {UsageError} from '../../source/errors.js';
import {profileFilePath, readProfiles} from '../../source/config/profile-file.js';
import {ProfileStore} from '../../source/config/profile-store.js';
import {tempConfigDir} from '../follow/run-cli.js';

/* Profiles are read as plain JSON and written by conf: both must mean the same file and the same data. */

const savedXdg = process.env.XDG_CONFIG_HOME;
afterEach(() => {
	if (savedXdg === undefined) {
		delete process.env.XDG_CONFIG_HOME;
	} else {
		process.env.XDG_CONFIG_HOME = savedXdg;
	}
});

function confPath(cwd: string | undefined): string {
	return new Conf({projectName: 'dbtail', projectSuffix: '', cwd}).path;
}

describe('the profile file', () => {
	it('is the file conf writes, in DBTAIL_CONFIG_DIR or in the platform config directory', () => {
		const dir = tempConfigDir();
		expect(profileFilePath(dir)).toBe(confPath(dir));
		expect(profileFilePath(path.relative(process.cwd(), dir))).toBe(confPath(dir));
		if (process.platform !== 'darwin' && process.platform !== 'win32') {
			process.env.XDG_CONFIG_HOME = tempConfigDir();
			expect(profileFilePath(undefined)).toBe(confPath(undefined));
			expect(profileFilePath(undefined)).toBe(path.join(process.env.XDG_CONFIG_HOME, 'dbtail', 'config.json'));
		}
	});

	it('reads what the store wrote, and nothing when there is no file yet', async () => {
		const dir = tempConfigDir();
		const store = new ProfileStore(dir);
		expect(store.profiles()).toEqual({});
		expect(fs.existsSync(store.path)).toBe(false);
		await store.set('ci', 'server', 'http://ci:1');
		await store.set('__proto__', 'token', 't');
		expect(readProfiles(store.path)).toEqual({ci: {server: 'http://ci:1'}, ['__proto__']: {token: 't'}});
		expect(store.get('other')).toBeUndefined();
		expect(await store.remove('ci')).toBe(true);
		expect(await store.remove('ci')).toBe(false);
		expect(Object.keys(new ProfileStore(dir).profiles())).toEqual(['__proto__']);
	});

	it('keeps only the string fields of a hand-edited file, and names a broken one', () => {
		const file = path.join(tempConfigDir(), 'config.json');
		fs.writeFileSync(file, JSON.stringify({profiles: {a: {server: 'http://a', token: 7, colour: 'red'}, b: null}, other: 1}));
		expect(readProfiles(file)).toEqual({a: {server: 'http://a'}, b: {}});
		fs.writeFileSync(file, '{"profiles": [');
		expect(() => readProfiles(file)).toThrow(UsageError);
		expect(() => readProfiles(file)).toThrow(`cannot read the config file ${file}: `);
	});
});
