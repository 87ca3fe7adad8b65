/** At most this many redraws a second from log traffic. */
const FRAME_MS = 33;

/**
 * Paces redraws that log traffic asks for. Ink reports what each frame cost (layout and output of the
 * whole screen); the pause after a frame is at least three times that, so a big terminal on a slow machine
 * spends at most about a third of a core drawing (the rest goes to reading the streams), and keys,
 * which are drawn at once, stay quick.
 */
export class FramePacer {
	#cost = 0;

	/** Ink's `onRender` metrics. */
	recordFrame = ({renderTime}: {renderTime: number}): void => {
		this.#cost = renderTime;
	};

	/** Milliseconds to wait after a frame before the next one for log traffic. */
	gap(): number {
		return Math.max(FRAME_MS, this.#cost * 3);
	}
}
