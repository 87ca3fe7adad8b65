import pg from 'pg';
import {NOTIFY_CHANNEL} from './pg-schema.js';
import {redactSecrets} from './pg-url.js';

export type ListenerEvents = {
	notified(payload: string): void;
	/** The connection is up and listening (again): read what was committed while it was not. */
	connected(): void;
	disconnected(): void;
};

const PING_MS = 10_000;
const MAX_BACKOFF_MS = 5000;

/**
 * The one LISTEN connection of an instance, outside the pool (a pooled connection would be handed to
 * requests). It reconnects by itself with backoff after any loss (a database restart, pg_terminate_backend,
 * a network cut that a ping every 10 s notices) and then asks for a catch-up read: notifications sent while
 * it was away are lost, and the feed's poll would only find them later.
 */
export class PgListener {
	#client: pg.Client | undefined;
	#backoffMs = 250;
	#retry: NodeJS.Timeout | undefined;
	#ping: NodeJS.Timeout | undefined;
	#closed = false;
	/** Said once when lost, once when back: a database that stays down is not a line every 5 s. */
	#down = false;
	readonly #url: string;
	readonly #events: ListenerEvents;
	readonly #log: (line: string) => void;

	constructor(url: string, events: ListenerEvents, log: (line: string) => void) {
		this.#url = url;
		this.#events = events;
		this.#log = log;
	}

	/** Connects; a failure is retried in the background (the feed's poll delivers meanwhile). */
	async start(): Promise<void> {
		await this.#connect();
	}

	async close(): Promise<void> {
		this.#closed = true;
		clearTimeout(this.#retry);
		clearInterval(this.#ping);
		await this.#client?.end().catch(() => {});
	}

	async #connect(): Promise<void> {
		if (this.#closed) {return;}
		const client = new pg.Client({connectionString: this.#url, application_name: 'dbtail-listen', keepAlive: true, query_timeout: 5000, connectionTimeoutMillis: 5000});
		this.#client = client;
		let lost = false;
		const onLost = (error?: Error) => {
			if (lost || this.#closed) {return;}
			lost = true;
			clearInterval(this.#ping);
			this.#events.disconnected();
			if (error && !this.#down) {this.#log(`the LISTEN connection was lost (${redactSecrets(error.message, this.#url)}); reconnecting, the poll delivers meanwhile`);}
			this.#down = true;
			void client.end().catch(() => {});
			this.#scheduleReconnect();
		};

		client.on('notification', (message) => {
			if (message.channel === NOTIFY_CHANNEL) {this.#events.notified(message.payload ?? '');}
		});
		client.on('error', (error) => onLost(error));
		client.on('end', () => onLost(new Error('the connection ended')));
		try {
			await client.connect();
			await client.query(`LISTEN ${NOTIFY_CHANNEL}`);
		} catch (error) {
			onLost(error as Error);
			return;
		}

		this.#backoffMs = 250;
		if (this.#down) {this.#log('the LISTEN connection is back');}
		this.#down = false;
		this.#ping = setInterval(() => {
			client.query('SELECT 1').catch((error: unknown) => onLost(error as Error));
		}, PING_MS);
		this.#ping.unref();
		this.#events.connected();
	}

	#scheduleReconnect(): void {
		if (this.#closed) {return;}
		const delay = this.#backoffMs;
		this.#backoffMs = Math.min(this.#backoffMs * 2, MAX_BACKOFF_MS);
		this.#retry = setTimeout(() => void this.#connect(), delay);
		this.#retry.unref();
	}
}
