/** A count as the viewer writes it: `1,234`. */
export const count = (value: number): string => value.toLocaleString('en-US');

/** A count and its noun, singular for one: `1 line`, `2 lines`, `1,234 lines`. */
export const counted = (value: number, noun: string, plural = `${noun}s`): string => `${count(value)} ${value === 1 ? noun : plural}`;
