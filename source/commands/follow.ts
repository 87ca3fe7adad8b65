import {UsageError} from './usage-error.js';

export default async function follow(_argv: string[]): Promise<number> {
	throw new UsageError('"dbtail follow" is not built yet');
}
