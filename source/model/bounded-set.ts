/**
 * A set that forgets its oldest members past `limit`: what a pane or the workspace remembers per run
 * (alive, errored, told) stays bounded in a viewer left open for days, one run after another.
 */
export class BoundedSet {
	readonly #members = new Set<string>();

	constructor(readonly limit = 1000) {}

	has(member: string): boolean {
		return this.#members.has(member);
	}

	/** Adds `member`; true when it was not there yet. */
	add(member: string): boolean {
		if (this.#members.has(member)) {
			return false;
		}

		this.#members.add(member);
		if (this.#members.size > this.limit) {
			this.#members.delete(this.#members.values().next().value!);
		}

		return true;
	}
}
