/**
 * A count as dbtail writes it: `1,234` (as en-US, at most three decimals). Not `toLocaleString('en-US')`,
 * which reads the same but makes V8 page in ICU's number-formatting data: about 5 MB of the binary held for
 * the life of the process, 5 % of the viewer's memory budget. The lint forbids toLocaleString for that.
 */
export function count(value: number): string {
	if (!Number.isFinite(value)) {
		return String(value);
	}

	const [whole = '', fraction = ''] = value.toFixed(Number.isInteger(value) ? 0 : 3).split('.');
	const grouped = whole.replace(/\B(?=(\d{3})+$)/g, ',');
	const decimals = fraction.replace(/0+$/, '');
	return decimals === '' ? grouped : `${grouped}.${decimals}`;
}

/** A count and its noun, singular for one: `1 line`, `2 lines`, `1,234 lines`. */
export const counted = (value: number, noun: string, plural = `${noun}s`): string => `${count(value)} ${value === 1 ? noun : plural}`;
