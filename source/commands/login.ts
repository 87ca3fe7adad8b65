import {UsageError} from './usage-error.js';

export default async function login(_argv: string[]): Promise<number> {
	throw new UsageError('"dbtail login" is not built yet');
}
