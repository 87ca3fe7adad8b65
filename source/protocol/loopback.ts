/** Whether a host name or address (IPv6 with or without brackets) names this machine's loopback. */
export function isLoopbackHost(host: string): boolean {
	const name = host.replace(/^\[(.*)\]$/, '$1').toLowerCase();
	return name === 'localhost' || name === '::1' || /^127(\.\d{1,3}){3}$/.test(name);
}
