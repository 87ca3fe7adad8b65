import process from 'node:process';
import {DEFAULT_PROFILE, ProfileStore, type Profile, type ProfileKey} from '../config/profile-store.js';
import {normalizeServer} from '../config/server-url.js';
import {TIMESTAMP_STYLES, type TimestampStyle} from '../follow/line-format.js';
import {NOTIFY_CHOICES, NOTIFY_MODES, type NotifyMode} from '../model/run-notices.js';
import {parseCommandLine} from './parse-command-line.js';
import {UsageError} from '../errors.js';

const help = `
  Usage
    $ dbtail config set <key> <value>   server, token-command, timestamps (${TIMESTAMP_STYLES.join(', ')}),
                                        notify (${NOTIFY_MODES.join(', ')}) or quiet-mark (seconds, 0 off)
    $ dbtail config get <key>           server, token (masked), token-command, timestamps, notify or quiet-mark
    $ dbtail config unset <key>
    $ dbtail config list                every profile (tokens masked)
    $ dbtail config path                where the file is (DBTAIL_CONFIG_DIR moves it)
    $ dbtail config delete              remove the whole profile

  Tokens are saved with "dbtail login", never on the command line (shell history, ps).

  Options
    --profile NAME   profile to work on (default "default", or DBTAIL_PROFILE)
`;

const KEYS: Record<string, ProfileKey> = {server: 'server', token: 'token', 'token-command': 'tokenCommand', timestamps: 'timestamps', notify: 'notify', 'quiet-mark': 'quietMark'};

function key(name: string | undefined): ProfileKey {
	const found = name === undefined ? undefined : KEYS[name];
	if (!found) {
		throw new UsageError(`unknown key "${name ?? ''}": use server, token, token-command, timestamps, notify or quiet-mark`);
	}

	return found;
}

/** What `get` and `list` show: a token only as the fact that one is saved. */
function shown(profile: Profile, name: ProfileKey): string | undefined {
	const value = profile[name];
	return name === 'token' && value ? '******** (saved; never shown)' : value;
}

export default async function config(argv: string[]): Promise<number> {
	const cli = parseCommandLine('dbtail config', help, argv, {profile: {type: 'string'}});
	const [action, name, value, ...rest] = cli.input;
	const profile = cli.flags.profile ?? (process.env.DBTAIL_PROFILE || DEFAULT_PROFILE);
	const store = new ProfileStore();
	const print = (text: string) => process.stdout.write(`${text}\n`);
	switch (action) {
		case 'set': {
			const which = key(name);
			if (which === 'token') {
				throw new UsageError('tokens are not set on the command line (shell history, ps): use "dbtail login"');
			}

			if (value === undefined || rest.length > 0) {
				throw new UsageError(`usage: dbtail config set ${name} <value> (quote a command with spaces)`);
			}

			if (which === 'timestamps' && !TIMESTAMP_STYLES.includes(value as TimestampStyle)) {
				throw new UsageError(`timestamps must be ${TIMESTAMP_STYLES.join(', ')}, not "${value}" (elapsed applies to follow only)`);
			}

			if (which === 'notify' && !NOTIFY_MODES.includes(value as NotifyMode)) {
				throw new UsageError(`notify must be ${NOTIFY_CHOICES}, not "${value}"`);
			}

			if (which === 'quietMark' && !/^\d{1,9}$/.test(value)) {
				throw new UsageError(`quiet-mark must be a whole number of seconds (0: off), not "${value}"`);
			}

			await store.set(profile, which, which === 'server' ? normalizeServer(value) : value);
			return 0;
		}

		case 'get': {
			const found = shown(store.get(profile) ?? {}, key(name));
			if (found === undefined) {
				process.stderr.write(`dbtail: ${name} is not set in profile "${profile}"\n`);
				return 1;
			}

			print(found);
			return 0;
		}

		case 'unset': {
			await store.set(profile, key(name), undefined);
			return 0;
		}

		case 'list': {
			const profiles = Object.entries(store.profiles());
			if (profiles.length === 0) {
				process.stderr.write(`dbtail: no profiles yet (${store.path})\n`);
			}

			for (const [profileName, saved] of profiles) {
				print(`[${profileName}]`);
				for (const [label, field] of Object.entries(KEYS)) {
					const text = shown(saved, field);
					if (text !== undefined) {
						print(`${label} = ${text}`);
					}
				}
			}

			return 0;
		}

		case 'path': {
			print(store.path);
			return 0;
		}

		case 'delete': {
			if (!(await store.remove(profile))) {
				throw new UsageError(`no profile "${profile}"`);
			}

			return 0;
		}

		default: {
			throw new UsageError(action ? `unknown config action "${action}": use set, get, unset, list, path or delete` : 'config needs an action: set, get, unset, list, path or delete');
		}
	}
}
