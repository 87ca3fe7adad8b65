/*
 * What `dbtail follow` exits with: 0 the run succeeded, 1 it failed or was cancelled, 2 the stream could not
 * be followed, 3 the server ended it with no run result (HTTP 204: neither success nor a fault, so
 * `follow x && deploy` does not deploy), 130 interrupted (143 on SIGTERM), after what was received is
 * written out.
 */
export const EXIT = {succeeded: 0, failed: 1, fatal: 2, ended: 3, interrupted: 130} as const;

/**
 * Several sources end in the worst of their codes: a source that could not be followed (2) above a run that
 * failed (1), above a stream ended with no result (3), above success (0). 2 comes first because its run's
 * result is unknown (its lines are missing too), and grep ranks an error above "no match" the same way; 3
 * above 0 so that `follow a b && deploy` deploys only when every run succeeded.
 */
const RANK: Readonly<Record<number, number>> = {[EXIT.succeeded]: 0, [EXIT.ended]: 1, [EXIT.failed]: 2, [EXIT.fatal]: 3};

export function worstExit(codes: Iterable<number>): number {
	let worst: number = EXIT.succeeded;
	for (const code of codes) {
		if ((RANK[code] ?? RANK[EXIT.fatal]!) > RANK[worst]!) {
			worst = code;
		}
	}

	return worst;
}
