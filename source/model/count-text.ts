/**
 * A count as dbtail writes it: `1,234`, as en-US writes an integer. Not `toLocaleString('en-US')`, which
 * makes V8 page in ICU's number-formatting data: about 5 MB of the binary held for the life of the process,
 * 5 % of the viewer's memory budget (the lint forbids it). A count is an integer; anything else a server might
 * send is rounded, and what is not finite is written as JavaScript writes it.
 */
export function count(value: number): string {
	const whole = Math.round(value);
	if (!Number.isFinite(whole) || Math.abs(whole) >= 1e21) {
		return String(value);
	}

	return String(whole === 0 ? 0 : whole).replace(/\B(?=(\d{3})+$)/g, ',');
}

/** A count and its noun, singular for one: `1 line`, `2 lines`, `1,234 lines`. */
export const counted = (value: number, noun: string, plural = `${noun}s`): string => `${count(value)} ${value === 1 ? noun : plural}`;
