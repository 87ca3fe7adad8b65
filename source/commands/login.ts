import process from 'node:process';
import {DEFAULT_PROFILE, ProfileStore} from '../config/profile-store.js';
import {readSecret} from '../config/read-secret.js';
import {normalizeServer} from '../config/server-url.js';
import {parseCommandLine} from './parse-command-line.js';
import {UsageError} from '../errors.js';

const help = `
  Usage
    $ dbtail login [--profile NAME] [--server URL]

  Saves a token in the profile (mode 0600). The token is read from stdin when it is piped
  (e.g. "pass show dbtail | dbtail login"), else asked for without echo. It is never printed.

  Options
    --profile NAME   profile to save it in (default "default", or DBTAIL_PROFILE)
    --server URL     also save the server in that profile
`;

export default async function login(argv: string[]): Promise<number> {
	const cli = parseCommandLine('dbtail login', help, argv, {profile: {type: 'string'}, server: {type: 'string'}});
	if (cli.input.length > 0) {
		throw new UsageError('login takes no arguments: the token is read from stdin or a prompt, never from the command line');
	}

	const profile = cli.flags.profile ?? (process.env.DBTAIL_PROFILE || DEFAULT_PROFILE);
	const store = new ProfileStore();
	let token: string;
	try {
		token = await readSecret(`Token for profile "${profile}": `);
	} catch {
		return 130;
	}

	if (!token) {
		throw new UsageError('no token given (empty input)');
	}

	if (/\s/.test(token)) {
		throw new UsageError('a token is one word with no spaces or newlines');
	}

	if (cli.flags.server !== undefined) {
		await store.set(profile, 'server', normalizeServer(cli.flags.server));
	}

	await store.set(profile, 'token', token);
	process.stderr.write(`dbtail: token saved in profile "${profile}" (${store.path})\n`);
	return 0;
}
