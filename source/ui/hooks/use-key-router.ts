import {useInput} from 'ink';
import type {ViewerState} from '../../model/viewer-state.js';
import {readKeys} from '../input-keys.js';

/**
 * Every key Ink reads goes to the viewer's state model, translated once: the model routes each key to the
 * mode the key before left (`/ERROR⏎G` in one read filters, then goes to the bottom), with no frame between.
 */
export function useKeyRouter(viewer: ViewerState): void {
	useInput((input, key) => {
		viewer.feed(readKeys(input, key));
	});
}
