// A separate process for the cross-process IPAM test: allocates one address for each container id
// given on the command line, on the network whose definition is given as JSON, from a given instant
// (epoch ms), and prints them.
import { Ipam } from '../../main/core/network/ipam.ts';
import type { NetworkConfig } from '../../main/core/network/network-config.ts';
import { NetworkDb } from '../../main/core/network/network-db.ts';

const [dbPath = '', networkJson = '{}', startAt = '0', ...ids] = process.argv.slice(2);
const db = NetworkDb.open(dbPath);
// All workers start allocating at the same instant, so their transactions really contend.
while (Date.now() < Number(startAt)) {
  // spin: a timer's granularity would spread the start over milliseconds
}
const ipam = new Ipam(db);
const network = JSON.parse(networkJson) as NetworkConfig;
const out: string[] = [];
for (const id of ids) out.push(...ipam.allocate(network, id).map((a) => a.address));
db.close();
process.stdout.write(JSON.stringify(out));
