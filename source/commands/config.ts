import {UsageError} from './usage-error.js';

export default async function config(_argv: string[]): Promise<number> {
	throw new UsageError('"dbtail config" is not built yet');
}
