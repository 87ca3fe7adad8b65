import {UsageError} from './usage-error.js';

export default async function serve(_argv: string[]): Promise<number> {
	throw new UsageError('"dbtail serve" is not built yet');
}
