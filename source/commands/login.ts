import process from 'node:process';
import {checkToken} from '../client/token-check.js';
import {DEFAULT_PROFILE, ProfileStore} from '../config/profile-store.js';
import {readSecret} from '../config/read-secret.js';
import {normalizeServer} from '../config/server-url.js';
import {parseCommandLine} from './parse-command-line.js';
import {UsageError} from '../errors.js';

const help = `
  Usage
    $ dbtail login [--profile NAME] [--server URL] [--no-check]

  Saves a token in the profile (mode 0600). The token is read from stdin when it is piped
  (e.g. "pass show dbtail | dbtail login"), else asked for without echo. It is never printed.

  The token is first checked with the server (one read request, the token in a header): a token the
  server refuses, or a server that cannot be reached, is an error (exit 2) and nothing is saved.

  Options
    --profile NAME   profile to save it in (default "default", or DBTAIL_PROFILE)
    --server URL     also save the server in that profile (else the profile's server, else
                     DBTAIL_SERVER, is the one asked); http:// may be left out for localhost or 127.0.0.1
    --no-check       save without asking the server (to set up a profile while it is out of reach)
`;

export default async function login(argv: string[]): Promise<number> {
	const cli = parseCommandLine('dbtail login', help, argv, {
		profile: {type: 'string'},
		server: {type: 'string'},
		check: {type: 'boolean', default: true},
	});
	if (cli.input.length > 0) {
		throw new UsageError('login takes no arguments: the token is read from stdin or a prompt, never from the command line');
	}

	const profile = cli.flags.profile ?? (process.env.DBTAIL_PROFILE || DEFAULT_PROFILE);
	// Before the prompt: a mistyped --server is said before anyone types a secret.
	const server = cli.flags.server === undefined ? undefined : normalizeServer(cli.flags.server);
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

	const checkedWith = cli.flags.check ? await check(token, server ?? store.get(profile)?.server ?? (process.env.DBTAIL_SERVER || undefined)) : undefined;
	if (server !== undefined) {
		await store.set(profile, 'server', server);
	}

	await store.set(profile, 'token', token);
	const how = checkedWith ? `accepted by ${checkedWith}, ` : 'not checked, ';
	process.stderr.write(`dbtail: token ${how}saved in profile "${profile}" (${store.path})\n`);
	return 0;
}

/**
 * Asks the server before anything is saved, so exit 0 means the profile works. A server out of reach is
 * refused too, not saved with a warning: a script would read the 0 as success, and the wrong token would
 * surface only at its first use. --no-check is the way to save while the server is away.
 */
async function check(token: string, server: string | undefined): Promise<string> {
	if (server === undefined) {
		throw new UsageError('no server to check the token with: pass --server URL (or --no-check to save it unchecked)');
	}

	const base = normalizeServer(server);
	const result = await checkToken(base, token);
	if (!result.ok) {
		throw new UsageError(`${result.message}: nothing saved${result.reachable ? '' : ' (--no-check saves it without asking)'}`);
	}

	return new URL(base).origin;
}
