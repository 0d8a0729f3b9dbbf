/** The host (without IPv6 brackets) and port of `host:port` or `[v6]:port`. */
export function splitHostPort(address: string): { readonly host: string; readonly port: number } {
  const at = address.lastIndexOf(':');
  return { host: address.slice(0, at).replace(/^\[(.*)\]$/, '$1'), port: Number(address.slice(at + 1)) };
}
