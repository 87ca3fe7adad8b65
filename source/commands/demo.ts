import {UsageError} from './usage-error.js';

export default async function demo(_argv: string[]): Promise<number> {
	throw new UsageError('"dbtail demo" is not built yet');
}
