/*
 * `--db postgres://user[:password]@host[:port]/dbname[?sslmode=...]`. The password may come in the URL
 * or from PGPASSWORD (the pg driver reads it, as libpq does); either way it is never printed: every message
 * and log line names the database by `describePostgresUrl`, which keeps everything but the secrets.
 */

export function isPostgresUrl(target: string): boolean {
	return /^postgres(ql)?:\/\//i.test(target);
}

/** Why a postgres:// target is not a URL the driver can read (it would throw a bare "Invalid URL"); undefined if it is. */
export function postgresUrlProblem(target: string): string | undefined {
	try {
		new URL(target);
		return undefined;
	} catch {
		return 'is not a URL: write postgres://user@host:5432/dbname (percent-encode special characters in the password, or use PGPASSWORD)';
	}
}

/** The URL as it may be shown: no password, no `password=` parameter. */
export function describePostgresUrl(target: string): string {
	try {
		const url = new URL(target);
		url.password = '';
		for (const name of [...url.searchParams.keys()]) {
			if (/pass|secret|key/i.test(name)) {url.searchParams.delete(name);}
		}

		return url.toString().replace(/^(postgres(?:ql)?:\/\/[^@/]*):@/i, '$1@');
	} catch {
		// Not a URL node can read: show only the scheme, it may hold anything.
		return `${target.split('//')[0]}//…`;
	}
}

/** Removes a password wherever a driver's message may have echoed the URL. */
export function redactSecrets(text: string, target: string): string {
	let password: string | undefined;
	try {
		password = decodeURIComponent(new URL(target).password) || undefined;
	} catch {
		password = undefined;
	}

	let safe = text.replaceAll(target, describePostgresUrl(target));
	for (const secret of [password, process.env.PGPASSWORD]) {
		if (secret) {safe = safe.replaceAll(secret, '***');}
	}

	return safe;
}
