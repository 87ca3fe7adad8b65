import {ENTITY_ID} from '../../protocol/record.js';
import {ENTITY_ID_RULE} from '../../protocol/streams.js';
import {badRequest} from '../api-error.js';

/** An id as a path segment carries it: percent-decoded, and held to the id rule (400 otherwise). '' for none. */
export function pathId(raw: string | undefined): string {
	if (raw === undefined) {return '';}
	let id: string;
	try {
		id = decodeURIComponent(raw);
	} catch {
		throw badRequest(`bad id in the path: ${JSON.stringify(raw)}`);
	}

	if (!ENTITY_ID.test(id)) {throw badRequest(`bad id ${JSON.stringify(id)} in the path: ${ENTITY_ID_RULE}`);}
	return id;
}
