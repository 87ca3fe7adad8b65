import {UsageError} from './usage-error.js';

export default async function viewer(_argv: string[]): Promise<number> {
	throw new UsageError('the full-screen viewer is not built yet; "dbtail --help" lists what is');
}
