/** Event names servers use for keep-alives: life on the connection, never a log line. */
const KEEP_ALIVE_EVENTS: ReadonlySet<string> = new Set(['ping', 'heartbeat', 'keepalive', 'keep-alive', 'keep_alive']);

export function isKeepAlive(event: string | undefined): boolean {
	return event !== undefined && KEEP_ALIVE_EVENTS.has(event.toLowerCase());
}
