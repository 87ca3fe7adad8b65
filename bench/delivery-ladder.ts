/*
 * Delivery latency as the number of SSE clients grows: 1, 100, then 1,000, 2,000, 5,000 and 10,000 clients on
 * the `all` stream while a producer posts 100 lines/s (5 lines every 50 ms), each line carrying its send time.
 * The ladder stops at the first step whose p99 passes 100 ms, where the server refused a client, or where it
 * answered the producer's posts too late for 90 lines/s: that step is where one instance ends on this machine. Memory per connection is the server's RSS once every stream
 * is open, less its RSS before the first connected, over the clients.
 */
import process from 'node:process';
import {collect, now, quantiles, startClients, type ClientGroup} from './latency-clients.js';
import {cpuSeconds, get, newRun, post, rssMb, startChild, stopChild} from './server-child.js';

export type Delivery = {
	clients: number;
	/** Lines the producer sent; it waits for each post, so a server that answers late sends fewer than 100/s. */
	sent: number;
	/** The rate it reached, lines/s. */
	rate: number;
	received: number;
	refused: number;
	p50: number;
	p99: number;
	max: number;
	/** Server RSS at the end of the step. */
	rssMb: number;
	/** (RSS with every stream open and idle - RSS before any) / clients. */
	kbPerConnection: number;
	/** The server's CPU while lines were sent, in % of one core: what is left of the machine for it shows here. */
	serverCpu: number;
	/** The server's CPU time per event delivered, in µs: what the load of the machine changes least. */
	cpuPerEventUs: number;
	/** The client processes' CPU over the same time, in % of one core: they share the machine with the server. */
	clientCpu: number;
};

const sleep = async (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * One client process, two from 100 clients up (one a core): the clients are raw sockets that scan bytes, so
 * two processes hold 10,000 of them, and more processes would only take the server's share of the two cores.
 */
const processesFor = (clients: number) => (clients < 100 ? 1 : 2);

export async function delivery(clients: number, rate: number, seconds: number, serverArgs: string[] = []): Promise<Delivery> {
	const server = await startChild('normal', serverArgs);
	const groups: ClientGroup[] = [];
	try {
		const runId = await newRun(server.url);
		const idleRss = rssMb(server);
		const processes = processesFor(clients);
		for (let i = 0; i < processes; i++) {
			const share = Math.floor(clients / processes) + (i < clients % processes ? 1 : 0);
			groups.push(startClients(server.url, share));
		}

		const refused = (await Promise.all(groups.map(async (group) => group.ready))).reduce((sum, ready) => sum + ready.refused, 0);
		// Wait until the server has every accepted stream open (connected), so no line is sent before a client listens.
		for (const deadline = now() + 60_000; now() < deadline; ) {
			const status = JSON.parse(await get(`${server.url}/api/stream/status`)) as {connections: number};
			if (status.connections >= clients - refused) {break;}
			await sleep(50);
		}

		const openRss = rssMb(server);
		const cpuBefore = cpuSeconds(server);
		const clientCpuBefore = groups.reduce((sum, group) => sum + cpuSeconds(group), 0);
		const sendStart = now();
		const perTick = Math.max(1, Math.round(rate / 20));
		let sent = 0;
		const end = now() + seconds * 1000;
		while (now() < end) {
			const tick = now();
			const body = Array.from({length: perTick}, () => JSON.stringify({level: 'INFO', message: `t=${now().toFixed(3)}`})).join('\n');
			await post(`${server.url}/api/runs/${runId}/logs`, body, 'application/x-ndjson');
			sent += perTick;
			await sleep(Math.max(0, 50 - (now() - tick)));
		}

		const rateReached = sent / ((now() - sendStart) / 1000);

		// Let the last lines arrive: the stragglers show in max, bounded by 2 s.
		await sleep(2000);
		const cpuUsed = cpuSeconds(server) - cpuBefore;
		const clientCpu = ((groups.reduce((sum, group) => sum + cpuSeconds(group), 0) - clientCpuBefore) * 100_000) / (now() - sendStart);
		const serverCpu = (cpuUsed * 100_000) / (now() - sendStart);
		const endRss = rssMb(server);
		const reports = await Promise.all(groups.map(async (group) => collect(group)));
		const [p50, p99, max] = quantiles(reports, [0.5, 0.99, 1]);
		const received = reports.reduce((sum, report) => sum + report.received, 0);
		const open = clients - refused;
		return {clients, sent, rate: rateReached, received, refused, p50: p50!, p99: p99!, max: max!, rssMb: endRss, kbPerConnection: open > 0 ? ((openRss - idleRss) * 1024) / open : Number.NaN, serverCpu, cpuPerEventUs: (cpuUsed * 1e6) / received, clientCpu};
	} finally {
		for (const group of groups) {group.child.kill('SIGKILL');}
		await stopChild(server);
	}
}

/** A step the instance held: p99 within the limit, no client refused, and the producer's posts answered in time for its rate. */
export const holds = (step: Delivery, rate: number, p99LimitMs = 100) => step.p99 <= p99LimitMs && step.refused === 0 && step.rate >= rate * 0.9;

/** The ladder; `steps` from 1,000 up stop it at the first step not held (unless `climbAll`, to see the whole curve). */
export async function deliveryLadder(steps: number[], rate: number, seconds: number, p99LimitMs = 100, serverArgs: string[] = [], climbAll = false): Promise<Delivery[]> {
	const results: Delivery[] = [];
	for (const clients of steps) {
		const result = await delivery(clients, rate, seconds, serverArgs);
		results.push(result);
		process.stderr.write(`  delivery ${clients} clients: p99 ${result.p99.toFixed(1)} ms, refused ${result.refused}, server CPU ${result.serverCpu.toFixed(0)} %, clients ${result.clientCpu.toFixed(0)} %, ${result.cpuPerEventUs.toFixed(2)} µs/event\n`);
		if (!climbAll && clients >= 1000 && !holds(result, rate, p99LimitMs)) {break;}
	}

	return results;
}
